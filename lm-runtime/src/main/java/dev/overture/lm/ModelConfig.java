package dev.overture.lm;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The shape of a decoder-only transformer, read from GGUF metadata with llama.cpp's keys.
 *
 * @param architecture {@code general.architecture}: {@code llama} (dense, or Mixtral-style MoE
 *     when {@code expertCount > 0}), {@code qwen2} (biases on Q, K and V), {@code qwen2moe} (qwen2
 *     with routed experts, raw softmax routing weights, and a sigmoid-gated shared expert) or {@code olmoe}
 *     (Mixture-of-Experts with RMSNorm on the whole Q and K projections, raw softmax routing
 *     weights, neox RoPE)
 * @param embeddingLength width of the residual stream
 * @param blockCount number of transformer layers
 * @param headCount query heads
 * @param headCountKv key/value heads (grouped-query attention when fewer than query heads)
 * @param headDim width of one head
 * @param feedForwardLength hidden width of the dense FFN, or of each expert for Mixtral-style MoE
 * @param expertCount experts per MoE layer, 0 for a dense model
 * @param expertUsedCount experts each token is routed to
 * @param expertFeedForwardLength hidden width of each routed expert
 * @param sharedExpertFeedForwardLength hidden width of the always-on shared expert (qwen2moe), 0 if none
 * @param vocabSize number of tokens
 * @param contextLength context the model was trained for
 * @param ropeTheta rotary base frequency
 * @param ropeDimension how many leading dimensions of each head are rotated
 * @param ropeStyle which pairs of dimensions rotate together
 * @param rmsEpsilon RMSNorm epsilon
 * @param normalizeExpertWeights whether the top-k routing weights are renormalized to sum to one
 */
public record ModelConfig(
    String architecture,
    int embeddingLength,
    int blockCount,
    int headCount,
    int headCountKv,
    int headDim,
    int feedForwardLength,
    int expertCount,
    int expertUsedCount,
    int expertFeedForwardLength,
    int sharedExpertFeedForwardLength,
    int vocabSize,
    int contextLength,
    float ropeTheta,
    int ropeDimension,
    RopeStyle ropeStyle,
    float rmsEpsilon,
    boolean normalizeExpertWeights) {

  /** How rotary embeddings pair dimensions, following llama.cpp's rope types. */
  public enum RopeStyle {
    /** Dimensions (2i, 2i+1) rotate together: llama.cpp's "normal" mode, used by {@code llama}. */
    ADJACENT_PAIRS,
    /** Dimensions (i, i + d/2) rotate together: "neox" mode, used by {@code qwen2} and others. */
    HALF_SPLIT
  }

  /** Architectures this runtime can run. */
  public static final Set<String> SUPPORTED_ARCHITECTURES =
      Collections.unmodifiableSet(new HashSet<>(Arrays.asList("llama", "qwen2", "qwen2moe", "olmoe")));

  public ModelConfig {
    requirePositive("embedding_length", embeddingLength);
    requirePositive("block_count", blockCount);
    requirePositive("attention.head_count", headCount);
    requirePositive("attention.head_count_kv", headCountKv);
    requirePositive("head dimension", headDim);
    requirePositive("vocab_size", vocabSize);
    requirePositive("context_length", contextLength);
    if (headCount % headCountKv != 0) {
      throw new IllegalArgumentException("head_count " + headCount + " is not a multiple of head_count_kv " + headCountKv);
    }
    if (ropeDimension <= 0 || ropeDimension > headDim || ropeDimension % 2 != 0) {
      throw new IllegalArgumentException("rope dimension " + ropeDimension + " must be even and within the head dimension " + headDim);
    }
    if (expertCount > 0 && (expertUsedCount <= 0 || expertUsedCount > expertCount)) {
      throw new IllegalArgumentException("expert_used_count " + expertUsedCount + " must be in [1, expert_count " + expertCount + "]");
    }
    if (expertCount == 0 && feedForwardLength <= 0) {
      throw new IllegalArgumentException("feed_forward_length must be positive for a dense model");
    }
  }

  private static void requirePositive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  /** Whether the feed-forward layers are Mixture-of-Experts. */
  public boolean isMoe() {
    return expertCount > 0;
  }

  /** Whether Q and K are RMS-normalized over their whole projection before RoPE ({@code olmoe}). */
  public boolean normalizesQueriesAndKeys() {
    return "olmoe".equals(architecture);
  }

  /** Width of all query heads together. */
  public int queryDim() {
    return headCount * headDim;
  }

  /** Width of all key (or value) heads together. */
  public int kvDim() {
    return headCountKv * headDim;
  }

  /**
   * Reads the configuration of {@code general.architecture} from GGUF metadata.
   *
   * @param vocabSize the tokenizer's vocabulary size, used when {@code <arch>.vocab_size} is absent
   * @throws GgufFormatException when a key is missing or a value is out of range
   */
  public static ModelConfig fromGguf(GgufMetadata m, int vocabSize) throws GgufFormatException {
    try {
      return read(m, vocabSize);
    } catch (IllegalArgumentException e) {
      throw new GgufFormatException(m.source() + ": invalid model configuration: " + e.getMessage(), e);
    }
  }

  private static ModelConfig read(GgufMetadata m, int vocabSize) throws GgufFormatException {
    String arch = m.architecture();
    if (!SUPPORTED_ARCHITECTURES.contains(arch)) {
      throw new GgufFormatException(m.source() + ": unsupported architecture '" + arch + "' (general.architecture); supported: " + SUPPORTED_ARCHITECTURES);
    }
    int dim = m.getInt(arch + ".embedding_length");
    int heads = m.getInt(arch + ".attention.head_count");
    int kvHeads = (int) m.findLong(arch + ".attention.head_count_kv").orElse(heads);
    int headDim = (int) m.findLong(arch + ".attention.key_length").orElse(heads > 0 ? dim / heads : 0);
    int experts = (int) m.findLong(arch + ".expert_count").orElse(0);
    if (experts > 0 && "qwen2".equals(arch)) {
      throw new GgufFormatException(m.source() + ": " + arch + ".expert_count is set, but " + arch
          + " has no Mixture-of-Experts variant (Mixtral-style MoE files use architecture llama)");
    }
    if (experts == 0 && ("olmoe".equals(arch) || "qwen2moe".equals(arch))) {
      throw new GgufFormatException(m.source() + ": " + arch + ".expert_count is missing or 0; " + arch + " is a Mixture-of-Experts architecture");
    }
    int used = (int) m.findLong(arch + ".expert_used_count").orElse(0);
    int ff = (int) m.findLong(arch + ".feed_forward_length").orElse(0);
    boolean qwen2moe = "qwen2moe".equals(arch);
    // llama.cpp's defaults when the keys are absent: qwen2moe splits feed_forward_length over the used experts.
    int expertFf = (int) m.findLong(arch + ".expert_feed_forward_length").orElse(qwen2moe && used > 0 ? ff / used : ff);
    int sharedFf = qwen2moe ? (int) m.findLong(arch + ".expert_shared_feed_forward_length").orElse(ff) : 0;
    int vocab = (int) m.findLong(arch + ".vocab_size").orElse(vocabSize);
    RopeStyle style = "llama".equals(arch) ? RopeStyle.ADJACENT_PAIRS : RopeStyle.HALF_SPLIT;
    // Mixtral renormalizes its top-k weights; qwen2moe and olmoe use the raw softmax weights.
    boolean normalize = "llama".equals(arch);
    return new ModelConfig(
          arch,
          dim,
          m.getInt(arch + ".block_count"),
          heads,
          kvHeads,
          headDim,
          ff,
          experts,
          used,
          expertFf,
          sharedFf,
          vocab,
          (int) m.findLong(arch + ".context_length").orElse(2048),
          m.findFloat(arch + ".rope.freq_base").orElse(10000f),
          (int) m.findLong(arch + ".rope.dimension_count").orElse(headDim),
          style,
          m.findFloat(arch + ".attention.layer_norm_rms_epsilon").orElse(1e-5f),
          normalize);
  }
}

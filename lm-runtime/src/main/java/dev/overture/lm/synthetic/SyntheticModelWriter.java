package dev.overture.lm.synthetic;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufWriter;
import dev.overture.lm.tensor.TensorEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes random-weight GGUF models of any {@link ModelShape}, in llama.cpp's layout, for tests,
 * benchmarks, and timing the same file in other engines.
 *
 * <p>The tokenizer is SentencePiece-style ({@code tokenizer.ggml.model = llama}): {@code <unk>},
 * {@code <s>}, {@code </s>}, the ChatML markers, 256 byte-fallback tokens, then letter pieces with
 * descending scores, and unused tokens up to the vocabulary size. Weights are Gaussian, scaled by
 * {@code 1/sqrt(fan-in)} so activations stay near unit size through the layers.
 */
public final class SyntheticModelWriter {
  private final ModelShape shape;
  private final GgmlType matrixType;
  private final long seed;
  private GgufMetadata tokenizerDonor;

  /**
   * @param matrixType type of the 2-D weight matrices (F32, F16, BF16, Q8_0 or Q4_0); norms and
   *     biases are always F32, as llama.cpp writes them
   */
  public SyntheticModelWriter(ModelShape shape, GgmlType matrixType, long seed) {
    this.shape = shape;
    this.matrixType = matrixType;
    this.seed = seed;
  }

  /**
   * Writes the tokenizer of {@code donor} (a real model's metadata) instead of the synthetic one, so
   * that random weights still produce real text pieces: with a byte-level BPE vocabulary about half
   * the tokens start a word. The shape's vocabulary must equal the donor's.
   */
  public SyntheticModelWriter withTokenizerOf(GgufMetadata donor) {
    int size = donor.getStringArray("tokenizer.ggml.tokens").size();
    if (size != shape.vocab()) {
      throw new IllegalArgumentException("the donor's vocabulary has " + size + " tokens, the shape " + shape.vocab());
    }
    this.tokenizerDonor = donor;
    return this;
  }

  public void write(Path path) throws IOException {
    Random random = new Random(seed);
    String a = shape.architecture();
    int headDim = shape.dim() / shape.heads();
    int kvDim = shape.kvHeads() * headDim;
    GgufWriter w = new GgufWriter();
    w.put("general.architecture", a);
    w.put("general.name", "synthetic-" + a + "-" + shape.dim() + "x" + shape.layers() + (shape.experts() > 0 ? "-moe" + shape.experts() : ""));
    w.putUInt32("general.file_type", fileType());
    w.putUInt32(a + ".context_length", shape.contextLength());
    w.putUInt32(a + ".embedding_length", shape.dim());
    w.putUInt32(a + ".block_count", shape.layers());
    w.putUInt32(a + ".feed_forward_length", shape.ff());
    w.putUInt32(a + ".attention.head_count", shape.heads());
    w.putUInt32(a + ".attention.head_count_kv", shape.kvHeads());
    w.putUInt32(a + ".rope.dimension_count", headDim);
    w.put(a + ".rope.freq_base", 10000f);
    w.put(a + ".attention.layer_norm_rms_epsilon", 1e-5f);
    w.putUInt32(a + ".vocab_size", shape.vocab());
    if (shape.experts() > 0) {
      w.putUInt32(a + ".expert_count", shape.experts());
      w.putUInt32(a + ".expert_used_count", shape.expertsUsed());
    }
    if ("qwen2moe".equals(a)) {
      w.putUInt32(a + ".expert_feed_forward_length", shape.ff());
      w.putUInt32(a + ".expert_shared_feed_forward_length", shape.ff());
    }
    writeTokenizer(w);

    matrix(w, "token_embd.weight", shape.vocab(), shape.dim(), 1, random, 0.5f);
    for (int l = 0; l < shape.layers(); l++) {
      String p = "blk." + l + ".";
      vector(w, p + "attn_norm.weight", shape.dim(), random, 1f, 0.1f);
      matrix(w, p + "attn_q.weight", shape.dim(), shape.dim(), 1, random, scale(shape.dim()));
      matrix(w, p + "attn_k.weight", kvDim, shape.dim(), 1, random, scale(shape.dim()));
      matrix(w, p + "attn_v.weight", kvDim, shape.dim(), 1, random, scale(shape.dim()));
      matrix(w, p + "attn_output.weight", shape.dim(), shape.dim(), 1, random, scale(shape.dim()));
      if (a.startsWith("qwen2")) {
        vector(w, p + "attn_q.bias", shape.dim(), random, 0f, 0.1f);
        vector(w, p + "attn_k.bias", kvDim, random, 0f, 0.1f);
        vector(w, p + "attn_v.bias", kvDim, random, 0f, 0.1f);
      }
      if ("olmoe".equals(a)) {
        vector(w, p + "attn_q_norm.weight", shape.dim(), random, 1f, 0.1f);
        vector(w, p + "attn_k_norm.weight", kvDim, random, 1f, 0.1f);
      }
      vector(w, p + "ffn_norm.weight", shape.dim(), random, 1f, 0.1f);
      if (shape.experts() > 0) {
        matrixF32(w, p + "ffn_gate_inp.weight", shape.experts(), shape.dim(), random, 1f);
        matrix(w, p + "ffn_gate_exps.weight", shape.ff(), shape.dim(), shape.experts(), random, scale(shape.dim()));
        matrix(w, p + "ffn_up_exps.weight", shape.ff(), shape.dim(), shape.experts(), random, scale(shape.dim()));
        matrix(w, p + "ffn_down_exps.weight", shape.dim(), shape.ff(), shape.experts(), random, scale(shape.ff()));
        if ("qwen2moe".equals(a)) {
          vector(w, p + "ffn_gate_inp_shexp.weight", shape.dim(), random, 0f, scale(shape.dim()));
          matrix(w, p + "ffn_gate_shexp.weight", shape.ff(), shape.dim(), 1, random, scale(shape.dim()));
          matrix(w, p + "ffn_up_shexp.weight", shape.ff(), shape.dim(), 1, random, scale(shape.dim()));
          matrix(w, p + "ffn_down_shexp.weight", shape.dim(), shape.ff(), 1, random, scale(shape.ff()));
        }
      } else {
        matrix(w, p + "ffn_gate.weight", shape.ff(), shape.dim(), 1, random, scale(shape.dim()));
        matrix(w, p + "ffn_up.weight", shape.ff(), shape.dim(), 1, random, scale(shape.dim()));
        matrix(w, p + "ffn_down.weight", shape.dim(), shape.ff(), 1, random, scale(shape.ff()));
      }
    }
    vector(w, "output_norm.weight", shape.dim(), random, 1f, 0.1f);
    if (!shape.tiedEmbeddings()) {
      matrix(w, "output.weight", shape.vocab(), shape.dim(), 1, random, scale(shape.dim()));
    }
    w.write(path);
  }

  private static float scale(int fanIn) {
    return (float) (1.0 / Math.sqrt(fanIn));
  }

  // llama_ftype values: ALL_F32 0, MOSTLY_F16 1, MOSTLY_Q4_0 2, MOSTLY_Q8_0 7, MOSTLY_BF16 32.
  private int fileType() {
    switch (matrixType) {
      case F32: return 0;
      case F16: return 1;
      case Q4_0: return 2;
      case Q8_0: return 7;
      case BF16: return 32;
      default: throw new IllegalArgumentException("synthetic models support F32, F16, BF16, Q8_0 and Q4_0, not " + matrixType);
    }
  }

  /** {@code depth} stacked matrices of {@code rows x cols}: ggml shape {@code [cols, rows, depth]}. */
  private void matrix(GgufWriter w, String name, int rows, int cols, int depth, Random random, float std) {
    float[] v = gaussian(random, (long) rows * cols * depth, 0f, std);
    long[] shapeDims = depth > 1 ? new long[] {cols, rows, depth} : new long[] {cols, rows};
    w.addTensor(name, matrixType, shapeDims, TensorEncoder.encode(matrixType, v));
  }

  private static void matrixF32(GgufWriter w, String name, int rows, int cols, Random random, float std) {
    w.addTensor(name, new long[] {cols, rows}, gaussian(random, (long) rows * cols, 0f, std));
  }

  private static void vector(GgufWriter w, String name, int n, Random random, float mean, float std) {
    w.addTensor(name, new long[] {n}, gaussian(random, n, mean, std));
  }

  private static float[] gaussian(Random random, long n, float mean, float std) {
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = mean + std * (float) random.nextGaussian();
    }
    return v;
  }

  private void writeTokenizer(GgufWriter w) {
    if (tokenizerDonor != null) {
      copyTokenizer(w, tokenizerDonor);
      return;
    }
    List<String> tokens = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    // token_type: 1 normal, 2 unknown, 3 control, 5 unused, 6 byte.
    add(tokens, scores, types, "<unk>", 0f, 2);
    add(tokens, scores, types, "<s>", 0f, 3);
    add(tokens, scores, types, "</s>", 0f, 3);
    add(tokens, scores, types, "<|im_start|>", 0f, 3);
    add(tokens, scores, types, "<|im_end|>", 0f, 3);
    for (int b = 0; b < 256; b++) {
      add(tokens, scores, types, String.format("<0x%02X>", b), 0f, 6);
    }
    Set<String> pieces = new LinkedHashSet<>();
    String letters = "etaoinshrdlcumwfgypbvkjxqz";
    pieces.add("\u2581");
    for (char c : letters.toCharArray()) {
      pieces.add("\u2581" + c);
      pieces.add(String.valueOf(c));
    }
    for (char c : ".,!?'-0123456789".toCharArray()) {
      pieces.add(String.valueOf(c));
    }
    outer:
    for (char c1 : letters.toCharArray()) {
      for (char c2 : letters.toCharArray()) {
        if (tokens.size() + pieces.size() >= shape.vocab() - 2) {
          break outer;
        }
        pieces.add("\u2581" + c1 + c2);
        pieces.add("" + c1 + c2);
      }
    }
    float score = -1f;
    for (String piece : pieces) {
      if (tokens.size() >= shape.vocab()) {
        break;
      }
      add(tokens, scores, types, piece, score, 1);
      score -= 1f;
    }
    for (int i = 0; tokens.size() < shape.vocab(); i++) {
      add(tokens, scores, types, "<unused" + i + ">", 0f, 5);
    }
    float[] scoreArray = new float[scores.size()];
    int[] typeArray = new int[types.size()];
    for (int i = 0; i < scoreArray.length; i++) {
      scoreArray[i] = scores.get(i);
      typeArray[i] = types.get(i);
    }
    w.put("tokenizer.ggml.model", "llama");
    w.putStrings("tokenizer.ggml.tokens", tokens);
    w.putFloats("tokenizer.ggml.scores", scoreArray);
    w.putInts("tokenizer.ggml.token_type", typeArray);
    w.putUInt32("tokenizer.ggml.unknown_token_id", 0);
    w.putUInt32("tokenizer.ggml.bos_token_id", 1);
    w.putUInt32("tokenizer.ggml.eos_token_id", 4);
    w.put("tokenizer.ggml.add_bos_token", false);
    w.put("tokenizer.chat_template",
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}");
  }

  private static void copyTokenizer(GgufWriter w, GgufMetadata donor) {
    for (String key : new String[] {"tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.chat_template"}) {
      donor.findString(key).ifPresent(value -> w.put(key, value));
    }
    for (String key : new String[] {"tokenizer.ggml.tokens", "tokenizer.ggml.merges"}) {
      if (donor.has(key)) {
        w.putStrings(key, donor.getStringArray(key));
      }
    }
    if (donor.has("tokenizer.ggml.token_type")) {
      w.putInts("tokenizer.ggml.token_type", donor.getIntArray("tokenizer.ggml.token_type"));
    }
    for (String key : new String[] {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id",
        "tokenizer.ggml.padding_token_id", "tokenizer.ggml.unknown_token_id"}) {
      donor.findLong(key).ifPresent(value -> w.putUInt32(key, value));
    }
    for (String key : new String[] {"tokenizer.ggml.add_bos_token", "tokenizer.ggml.add_eos_token"}) {
      donor.findBoolean(key).ifPresent(value -> w.put(key, value));
    }
  }

  private static void add(List<String> tokens, List<Float> scores, List<Integer> types, String text, float score, int type) {
    tokens.add(text);
    scores.add(score);
    types.add(type);
  }
}

package dev.overture.lm.synthetic;

/**
 * The dimensions of a synthetic model.
 *
 * @param architecture {@code llama}, {@code qwen2}, {@code qwen2moe} or {@code olmoe}
 * @param dim embedding length
 * @param layers transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param ff feed-forward width (per expert for MoE)
 * @param vocab vocabulary size (at least 512)
 * @param experts experts per layer, 0 for dense
 * @param expertsUsed experts per token
 * @param tiedEmbeddings whether {@code output.weight} is omitted
 * @param contextLength trained context written to the metadata
 */
public record ModelShape(
    String architecture, int dim, int layers, int heads, int kvHeads, int ff, int vocab, int experts, int expertsUsed,
    boolean tiedEmbeddings, int contextLength) {

  public ModelShape {
    if (!"llama".equals(architecture) && !"qwen2".equals(architecture) && !"qwen2moe".equals(architecture)
        && !"olmoe".equals(architecture)) {
      throw new IllegalArgumentException("architecture must be llama, qwen2, qwen2moe or olmoe, got " + architecture);
    }
    if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ff <= 0 || contextLength <= 0) {
      throw new IllegalArgumentException("dimensions must be positive");
    }
    if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
      throw new IllegalArgumentException("dim " + dim + " must split into " + heads + " even-width heads, a multiple of " + kvHeads + " KV heads");
    }
    if (vocab < 512) {
      throw new IllegalArgumentException("vocab must be at least 512 (specials, 256 bytes and pieces), got " + vocab);
    }
    if (experts > 0 && "qwen2".equals(architecture)) {
      throw new IllegalArgumentException("experts need architecture llama (Mixtral-style) or olmoe; llama.cpp has no MoE variant of " + architecture);
    }
    if ("olmoe".equals(architecture) && (experts == 0 || kvHeads != heads || tiedEmbeddings)) {
      // llama.cpp's olmoe loader requires experts, output.weight, and K-norm weights as wide as the embedding.
      throw new IllegalArgumentException("olmoe shapes need experts, kvHeads == heads and untied embeddings (as llama.cpp loads them)");
    }
    if ("qwen2moe".equals(architecture) && (experts == 0 || tiedEmbeddings)) {
      throw new IllegalArgumentException("qwen2moe shapes need experts and untied embeddings (as llama.cpp loads them)");
    }
    if (experts < 0 || (experts > 0 && (expertsUsed < 1 || expertsUsed > experts))) {
      throw new IllegalArgumentException("expertsUsed must be in [1, experts] for MoE shapes");
    }
  }

  /** The reference micro model (research notes: Swen-28M): 512 wide, 8 layers, GQA 8/2, FFN 1408, 12288 tokens, tied. */
  public static ModelShape microReference() {
    return new ModelShape("llama", 512, 8, 8, 2, 1408, 12288, 0, 0, true, 2048);
  }

  /** A Mixtral-style MoE of the micro width: 8 experts top-2 with FFN 1408 each. */
  public static ModelShape moeReference() {
    return new ModelShape("llama", 512, 8, 8, 2, 1408, 12288, 8, 2, true, 2048);
  }

  public ModelShape withArchitecture(String architecture) {
    return new ModelShape(architecture, dim, layers, heads, kvHeads, ff, vocab, experts, expertsUsed, tiedEmbeddings, contextLength);
  }

  public ModelShape withTiedEmbeddings(boolean tied) {
    return new ModelShape(architecture, dim, layers, heads, kvHeads, ff, vocab, experts, expertsUsed, tied, contextLength);
  }

  /** Total parameters, experts included. */
  public long parameters() {
    long kvDim = (long) kvHeads * (dim / heads);
    long attention = 2L * dim * dim + 2L * dim * kvDim;
    long ffn = experts > 0 ? (long) experts * 3 * dim * ff + (long) experts * dim : 3L * dim * ff;
    if ("qwen2moe".equals(architecture)) {
      ffn += 3L * dim * ff + dim; // the shared expert (as wide as one routed expert here) and its gate
    }
    long bias = architecture.startsWith("qwen2") ? dim + 2 * kvDim : "olmoe".equals(architecture) ? dim + kvDim : 0;
    return (long) vocab * dim * (tiedEmbeddings ? 1 : 2) + layers * (attention + ffn + bias + 2L * dim) + dim;
  }
}

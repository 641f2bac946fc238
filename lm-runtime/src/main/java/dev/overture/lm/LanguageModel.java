package dev.overture.lm;

import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A transformer loaded from a GGUF file: configuration, tokenizer and weights, shared by any
 * number of {@link InferenceSession}s.
 *
 * <p>Dense weights are decoded onto the heap at load; experts come from the {@link
 * ExpertProvider} chosen in {@link LoadOptions}, which may read the still-open file on demand. A
 * model is thread-safe; its sessions are not.
 */
public final class LanguageModel implements AutoCloseable {
  private final GgufFile file;
  private final ModelConfig config;
  private final Tokenizer tokenizer;
  private final ModelWeights weights;
  private final ExpertProvider experts;
  private final Kernels kernels;
  private final String name;

  private LanguageModel(GgufFile file, ModelConfig config, Tokenizer tokenizer, ModelWeights weights, ExpertProvider experts, Kernels kernels) {
    this.file = file;
    this.config = config;
    this.tokenizer = tokenizer;
    this.weights = weights;
    this.experts = experts;
    this.kernels = kernels;
    this.name = file.metadata().findString("general.name").orElse(file.name());
  }

  /** Loads with {@link LoadOptions#defaults()}. */
  public static LanguageModel load(Path path) throws IOException {
    return load(path, LoadOptions.defaults());
  }

  /**
   * Loads a model.
   *
   * @throws GgufFormatException when the file is not a GGUF model this runtime can run; the
   *     message names the file and the key or tensor at fault
   */
  public static LanguageModel load(Path path, LoadOptions options) throws IOException {
    return load(GgufFile.open(path), options);
  }

  /**
   * Loads a model from a GGUF image in memory, for platforms whose models are not plain files
   * (an Android asset). {@code name} stands for the file in messages.
   *
   * @throws GgufFormatException when the image is not a GGUF model this runtime can run
   */
  public static LanguageModel load(String name, ByteBuffer image, LoadOptions options) throws IOException {
    return load(GgufFile.read(name, image), options);
  }

  private static LanguageModel load(GgufFile file, LoadOptions options) throws IOException {
    String path = file.name();
    try {
      Tokenizer tokenizer = Tokenizer.fromGguf(file.metadata());
      ModelConfig config = ModelConfig.fromGguf(file.metadata(), tokenizer.vocabSize());
      if (config.vocabSize() != tokenizer.vocabSize()) {
        throw new GgufFormatException(path + ": model vocabulary " + config.vocabSize() + " differs from the tokenizer's " + tokenizer.vocabSize());
      }
      ModelWeights weights = ModelWeights.load(file, config, options.kernels().q8Layout());
      ExpertProvider experts = weights.experts == null ? null : options.experts().apply(weights.experts);
      return new LanguageModel(file, config, tokenizer, weights, experts, options.kernels());
    } catch (IOException | RuntimeException | Error e) {
      file.close();
      throw e;
    }
  }

  public ModelConfig config() {
    return config;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The GGUF file, for metadata such as the chat template. */
  public GgufFile file() {
    return file;
  }

  public Kernels kernels() {
    return kernels;
  }

  /** {@code general.name}, or the file name. */
  public String name() {
    return name;
  }

  /** Whether the output projection reuses the token embedding. */
  public boolean tiedEmbeddings() {
    return weights.tiedEmbeddings;
  }

  /** Where experts are decoded from, or null for a dense model. */
  public ExpertSource expertSource() {
    return weights.experts;
  }

  /** Heap bytes of the dense weights (experts excluded). */
  public long denseHeapBytes() {
    return weights.denseHeapBytes();
  }

  /**
   * Opens a session. Its context is capped at the model's trained context length.
   */
  public InferenceSession newSession(SessionOptions options) {
    int ctx = Math.min(options.contextLength(), config.contextLength());
    return new InferenceSession(config, new ForwardPass(config, weights, kernels, experts, ctx, options.batchSize(), options.threads()));
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return name + " (" + config.architecture() + ", " + config.blockCount() + " layers, dim " + config.embeddingLength()
        + (config.isMoe() ? ", " + config.expertCount() + " experts top-" + config.expertUsedCount() : "") + ")";
  }
}

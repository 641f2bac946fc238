package dev.overture.lm.offload;

import dev.overture.lm.ExpertSource;
import dev.overture.lm.ExpertWeights;
import dev.overture.lm.ModelConfig;
import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.kernel.Q8Layout;
import dev.overture.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The experts of a GGUF file read with {@link DirectTensorReader}: the backing store of an
 * offloading cache that pays for every load at the disk, as a model larger than memory would.
 * Give it to a cache in place of the model's memory-mapped source:
 * {@code LoadOptions.withExperts(mapped -> ExpertCache.of(DirectExpertSource.open(path, layout), ...))}.
 */
public final class DirectExpertSource implements ExpertSource, AutoCloseable {

  private final GgufFile file;
  private final DirectTensorReader reader;
  private final ExpertSource experts;

  private DirectExpertSource(GgufFile file, DirectTensorReader reader, ExpertSource experts) {
    this.file = file;
    this.reader = reader;
    this.experts = experts;
  }

  /** @param layout the 8-bit layout the model's kernels use ({@code Kernels.q8Layout()}) */
  public static DirectExpertSource open(Path path, Q8Layout layout) throws IOException {
    GgufFile file = GgufFile.open(path);
    DirectTensorReader reader = null;
    try {
      ModelConfig config = ModelConfig.fromGguf(file.metadata(), Tokenizer.fromGguf(file.metadata()).vocabSize());
      reader = DirectTensorReader.open(path, file);
      return new DirectExpertSource(file, reader, ExpertSource.fromGguf(file, config, layout, reader));
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        reader.close();
      }
      file.close();
      throw e;
    }
  }

  /** Whether loads bypass the page cache (false where the file system refuses direct I/O). */
  public boolean direct() {
    return reader.direct();
  }

  @Override
  public int layers() {
    return experts.layers();
  }

  @Override
  public int expertsPerLayer() {
    return experts.expertsPerLayer();
  }

  @Override
  public long expertHeapBytes() {
    return experts.expertHeapBytes();
  }

  @Override
  public ExpertWeights decode(int layer, int expert) {
    return experts.decode(layer, expert);
  }

  @Override
  public void close() throws IOException {
    reader.close();
    file.close();
  }
}

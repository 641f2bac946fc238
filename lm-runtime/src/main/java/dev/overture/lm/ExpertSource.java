package dev.overture.lm;

import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.TensorReader;
import dev.overture.lm.kernel.Q8Layout;

/**
 * Where expert weights come from: decodes one expert of one layer from the model file on demand.
 * Offloading caches wrap a source to keep only some experts resident.
 *
 * <p>Implementations are thread-safe.
 */
public interface ExpertSource {
  int layers();

  int expertsPerLayer();

  /** Heap bytes one decoded expert occupies (the same for every expert of a model). */
  long expertHeapBytes();

  /** Decodes expert {@code expert} of layer {@code layer}; each call returns new matrices. */
  ExpertWeights decode(int layer, int expert);

  /**
   * The experts of a GGUF model file read through {@code reader} (packed 3-D expert tensors or one
   * tensor per expert), decoded for {@code layout}.
   *
   * @throws GgufFormatException if the file's expert tensors do not have the shapes {@code config} says
   */
  static ExpertSource fromGguf(GgufFile file, ModelConfig config, Q8Layout layout, TensorReader reader) throws GgufFormatException {
    return new GgufExpertSource(file, config, layout, reader);
  }
}

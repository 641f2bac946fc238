package dev.overture.lm;

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
}

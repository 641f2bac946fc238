package dev.overture.lm.offload;

/**
 * How a total of resident experts is spread over the layers. {@link #SHALLOW_FIRST} gives the
 * shallow layers more, as Fate does: their routing is the hardest to predict from the layer
 * before, so a miss there cannot be hidden by a prefetch.
 */
public enum LayerAllocation {
  /** The same count in every layer (the remainder to the shallowest). */
  UNIFORM,
  /** Shares falling linearly with depth: layer {@code l} of {@code L} weighs {@code L - l}. */
  SHALLOW_FIRST;

  /** {@code uniform} or {@code shallow-first}, as operators write it. */
  public static LayerAllocation parse(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "uniform":
        return UNIFORM;
      case "shallow-first":
        return SHALLOW_FIRST;
      default:
        throw new IllegalArgumentException("allocation must be uniform or shallow-first, got '" + name + "'");
    }
  }

  int[] spread(int total, int layers, int expertsPerLayer) {
    int[] slots = new int[layers];
    double[] weight = new double[layers];
    double sum = 0;
    for (int l = 0; l < layers; l++) {
      weight[l] = this == UNIFORM ? 1 : layers - l;
      sum += weight[l];
    }
    int given = 0;
    for (int l = 0; l < layers; l++) {
      slots[l] = (int) Math.min(expertsPerLayer, Math.floor(total * weight[l] / sum));
      given += slots[l];
    }
    for (int round = 0; given < total && round < layers * expertsPerLayer; round++) {
      int l = round % layers; // the remainder goes to the shallowest layers first
      if (slots[l] < expertsPerLayer) {
        slots[l]++;
        given++;
      }
    }
    return slots;
  }
}

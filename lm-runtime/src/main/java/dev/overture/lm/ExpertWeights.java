package dev.overture.lm;

import dev.overture.lm.tensor.WeightMatrix;

/**
 * The three matrices of one SwiGLU expert: {@code down(silu(gate x) * up x)}.
 *
 * @param gate {@code [ff, dim]}
 * @param up {@code [ff, dim]}
 * @param down {@code [dim, ff]}
 */
public record ExpertWeights(WeightMatrix gate, WeightMatrix up, WeightMatrix down) {
  public ExpertWeights {
    if (gate.rows() != up.rows() || gate.cols() != up.cols() || down.cols() != gate.rows() || down.rows() != gate.cols()) {
      throw new IllegalArgumentException("expert matrices do not fit together: gate " + gate.rows() + "x" + gate.cols()
          + ", up " + up.rows() + "x" + up.cols() + ", down " + down.rows() + "x" + down.cols());
    }
  }

  /** Heap bytes of the three matrices. */
  public long heapBytes() {
    return gate.heapBytes() + up.heapBytes() + down.heapBytes();
  }
}

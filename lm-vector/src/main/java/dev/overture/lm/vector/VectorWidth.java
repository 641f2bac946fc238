package dev.overture.lm.vector;

import jdk.incubator.vector.FloatVector;

/** Kept apart so that only a JVM with the incubator module ever loads it. */
final class VectorWidth {
  private VectorWidth() {}

  static int preferredBits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }
}

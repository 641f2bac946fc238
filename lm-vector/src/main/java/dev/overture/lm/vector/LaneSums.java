package dev.overture.lm.vector;

import jdk.incubator.vector.FloatVector;

/**
 * Horizontal sums in one fixed order. {@code reduceLanes(ADD)} leaves the order open and HotSpot's
 * interpreter, C1 and C2 each pick their own, so the same input could give different bits from one
 * run (or one minute) to the next. Here the upper half is added onto the lower half until one lane
 * is left: lane-wise additions, exact and identical in every tier.
 */
final class LaneSums {
  private LaneSums() {}

  static float sum(FloatVector v) {
    for (int half = v.length() / 2; half >= 1; half /= 2) {
      v = v.add(v.slice(half));
    }
    return v.lane(0);
  }
}

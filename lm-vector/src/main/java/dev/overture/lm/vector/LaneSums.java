package dev.overture.lm.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums in one fixed order. {@code reduceLanes(ADD)} leaves the order open and HotSpot's
 * interpreter, C1 and C2 each pick their own, so the same input could give different bits from one
 * run (or one minute) to the next. Here the upper half is added onto the lower half until one lane
 * is left: lane-wise additions, exact and identical in every tier. The halves are brought down
 * with constant shuffles, which C2 compiles to one permute each ({@code slice} was ten times
 * slower).
 */
final class LaneSums {
  private static final VectorShuffle<Float>[] SHUFFLES_256 = halvings(FloatVector.SPECIES_256);
  private static final VectorShuffle<Float>[] SHUFFLES_512 = halvings(FloatVector.SPECIES_512);

  private LaneSums() {}

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] halvings(VectorSpecies<Float> species) {
    int n = Integer.numberOfTrailingZeros(species.length());
    VectorShuffle<Float>[] out = new VectorShuffle[n];
    for (int step = 0; step < n; step++) {
      int half = species.length() >> (step + 1);
      out[step] = VectorShuffle.fromOp(species, i -> (i + half) % species.length());
    }
    return out;
  }

  /** The sum of a 256-bit vector's lanes. */
  static float sum256(FloatVector v) {
    v = v.add(v.rearrange(SHUFFLES_256[0]));
    v = v.add(v.rearrange(SHUFFLES_256[1]));
    v = v.add(v.rearrange(SHUFFLES_256[2]));
    return v.lane(0);
  }

  /** The sum of a 512-bit vector's lanes. */
  static float sum512(FloatVector v) {
    v = v.add(v.rearrange(SHUFFLES_512[0]));
    v = v.add(v.rearrange(SHUFFLES_512[1]));
    v = v.add(v.rearrange(SHUFFLES_512[2]));
    v = v.add(v.rearrange(SHUFFLES_512[3]));
    return v.lane(0);
  }
}

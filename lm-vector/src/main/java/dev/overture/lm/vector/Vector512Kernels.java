package dev.overture.lm.vector;

import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.Q8Layout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API with 512-bit vectors (AVX-512).
 *
 * <p>The 8-bit dot product is its own: one block of 32 bytes widens to 32 shorts in one step; the 16-bit products are summed in
 * adjacent pairs into 16 ints with shifts (products of an activation in [-127, 127] and a weight
 * in [-128, 127] fit 16 bits) and scaled in float once per block. The species are constants of
 * this class (not fields) so that the JIT compiles every operation to a single instruction.
 */
public final class Vector512Kernels implements Kernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_256;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;

  @Override
  public String name() {
    return "vector-512";
  }

  /** Float work is memory-bound (F32 weights) or short (attention heads): 256 bits do it as well. */
  private static final Vector256Kernels FLOATS = new Vector256Kernels();

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    return FLOATS.dot(a, aOff, b, bOff, n);
  }

  @Override
  public float dotQ8(byte[] aq, int aOff, float[] aScale, int aScaleOff, byte[] bq, int bOff, float[] bScale, int bScaleOff, int blocks) {
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int a = aOff + blk * Q8_BLOCK;
      int b = bOff + blk * Q8_BLOCK;
      ShortVector av = (ShortVector) ByteVector.fromArray(B, aq, a).convertShape(VectorOperators.B2S, S, 0);
      ShortVector bv = (ShortVector) ByteVector.fromArray(B, bq, b).convertShape(VectorOperators.B2S, S, 0);
      IntVector pairs = av.mul(bv).reinterpretAsInts();
      IntVector sums = pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pairs.lanewise(VectorOperators.ASHR, 16));
      acc = ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, aScale[aScaleOff + blk] * bScale[bScaleOff + blk]), acc);
    }
    return LaneSums.sum512(acc);
  }

  @Override
  public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    FLOATS.axpy(a, x, xOff, y, yOff, n);
  }

  @Override
  public void axpyQ8(float a, byte[] x, int xOff, float[] y, int yOff, int n) {
    FLOATS.axpyQ8(a, x, xOff, y, yOff, n);
  }

  @Override
  public Q8Layout q8Layout() {
    return Q8Layout.ROWS;
  }
}

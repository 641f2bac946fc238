package dev.overture.lm.vector;

import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.PortableKernels;
import dev.overture.lm.kernel.Q8Layout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API with 256-bit vectors (AVX2).
 *
 * <p>The 8-bit dot product widens each half block of 16 bytes to 16 shorts, multiplies, and adds
 * the two halves' products while still 16-bit: one operand is always an activation quantized to
 * [-127, 127] and the other a weight in [-128, 127], so a sum of two products stays within
 * ±32512. Adjacent lanes are then summed into ints with shifts and scaled in float, once per
 * block. Tails are plain loops: masked loads are slow without AVX-512.
 */
public final class Vector256Kernels implements Kernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;

  @Override
  public String name() {
    return "vector-256";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = FloatVector.zero(F);
    int width = F.length();
    int i = 0;
    for (; i + 2 * width <= n; i += 2 * width) {
      acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(F, a, aOff + i + width).fma(FloatVector.fromArray(F, b, bOff + i + width), acc1);
    }
    for (; i + width <= n; i += width) {
      acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
    }
    float sum = LaneSums.sum256(acc0.add(acc1));
    for (; i < n; i++) {
      sum += a[aOff + i] * b[bOff + i];
    }
    return sum;
  }

  @Override
  public float dotQ8(byte[] aq, int aOff, float[] aScale, int aScaleOff, byte[] bq, int bOff, float[] bScale, int bScaleOff, int blocks) {
    FloatVector acc = FloatVector.zero(F);
    for (int blk = 0; blk < blocks; blk++) {
      int a = aOff + blk * Q8_BLOCK;
      int b = bOff + blk * Q8_BLOCK;
      ShortVector a0 = (ShortVector) ByteVector.fromArray(B, aq, a).convertShape(VectorOperators.B2S, S, 0);
      ShortVector b0 = (ShortVector) ByteVector.fromArray(B, bq, b).convertShape(VectorOperators.B2S, S, 0);
      ShortVector a1 = (ShortVector) ByteVector.fromArray(B, aq, a + 16).convertShape(VectorOperators.B2S, S, 0);
      ShortVector b1 = (ShortVector) ByteVector.fromArray(B, bq, b + 16).convertShape(VectorOperators.B2S, S, 0);
      // Adjacent 16-bit lanes summed into 32-bit lanes with shifts (what x86's pmaddwd does),
      // which avoids the slow cross-lane widening of the upper half.
      IntVector pairs = a0.mul(b0).add(a1.mul(b1)).reinterpretAsInts();
      IntVector sums32 = pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pairs.lanewise(VectorOperators.ASHR, 16));
      FloatVector sums = (FloatVector) sums32.convert(VectorOperators.I2F, 0);
      acc = sums.fma(FloatVector.broadcast(F, aScale[aScaleOff + blk] * bScale[bScaleOff + blk]), acc);
    }
    return LaneSums.sum256(acc);
  }

  @Override
  public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    int width = F.length();
    int i = 0;
    for (; i + width <= n; i += width) {
      FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.broadcast(F, a), FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += a * x[xOff + i];
    }
  }

  /** Only reached when a COLUMNS matrix meets these kernels; C2 vectorizes the portable loop itself. */
  private static final PortableKernels PORTABLE = new PortableKernels();

  @Override
  public void axpyQ8(float a, byte[] x, int xOff, float[] y, int yOff, int n) {
    PORTABLE.axpyQ8(a, x, xOff, y, yOff, n);
  }

  @Override
  public Q8Layout q8Layout() {
    return Q8Layout.ROWS;
  }
}

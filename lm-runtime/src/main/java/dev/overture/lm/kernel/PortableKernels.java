package dev.overture.lm.kernel;

/**
 * Plain-Java kernels: run on any JVM and on Android. Loops are unrolled by four with independent
 * accumulators so that HotSpot's and ART's compilers can keep several multiply pipelines busy;
 * the quantized dot product sums integer products exactly per block, as llama.cpp does for Q8_0.
 *
 * <p>8-bit matrices use {@link Q8Layout#COLUMNS}: HotSpot's C2 does not vectorize a {@code byte *
 * byte -> int} dot product, but it does vectorize {@link #axpyQ8}'s loop (bytes widened to float,
 * multiplied by a broadcast scalar, added lane-wise), which measured 7-9 billion multiply-adds per
 * second on one core against 0.6-1 for the scalar dot product (docs/benchmarks.md).
 */
public final class PortableKernels implements Kernels {
  @Override
  public String name() {
    return "portable";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[aOff + i] * b[bOff + i];
      s1 += a[aOff + i + 1] * b[bOff + i + 1];
      s2 += a[aOff + i + 2] * b[bOff + i + 2];
      s3 += a[aOff + i + 3] * b[bOff + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[aOff + i] * b[bOff + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public float dotQ8(byte[] aq, int aOff, float[] aScale, int aScaleOff, byte[] bq, int bOff, float[] bScale, int bScaleOff, int blocks) {
    float sum = 0;
    for (int blk = 0; blk < blocks; blk++) {
      int a = aOff + blk * Q8_BLOCK;
      int b = bOff + blk * Q8_BLOCK;
      int i0 = 0, i1 = 0, i2 = 0, i3 = 0;
      for (int i = 0; i < Q8_BLOCK; i += 4) {
        i0 += aq[a + i] * bq[b + i];
        i1 += aq[a + i + 1] * bq[b + i + 1];
        i2 += aq[a + i + 2] * bq[b + i + 2];
        i3 += aq[a + i + 3] * bq[b + i + 3];
      }
      sum += aScale[aScaleOff + blk] * bScale[bScaleOff + blk] * ((i0 + i1) + (i2 + i3));
    }
    return sum;
  }

  @Override
  public void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += a * x[xOff + i];
    }
  }

  @Override
  public void axpyQ8(float a, byte[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += a * x[xOff + i];
    }
  }

  @Override
  public Q8Layout q8Layout() {
    return Q8Layout.COLUMNS;
  }
}

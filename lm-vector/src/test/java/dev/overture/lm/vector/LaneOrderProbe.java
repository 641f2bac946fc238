package dev.overture.lm.vector;

import dev.overture.lm.kernel.Kernels;
import java.util.Random;

/**
 * Prints the bit patterns of a fixed set of vector-kernel results, one per line. {@link
 * VectorKernelsDeterminismTest} runs it in a child JVM without a JIT ({@code -Xint}) and compares
 * with the compiled code in its own JVM.
 */
final class LaneOrderProbe {
  private LaneOrderProbe() {}

  /** Inputs whose sums depend on the order of addition: magnitudes spread over six decades. */
  static String results(Kernels k) {
    Random random = new Random(11);
    StringBuilder out = new StringBuilder();
    for (int n : new int[] {64, 96, 200}) {
      float[] a = new float[n];
      float[] b = new float[n];
      for (int i = 0; i < n; i++) {
        a[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(6)));
        b[i] = (float) random.nextGaussian();
      }
      out.append(Float.floatToIntBits(k.dot(a, 0, b, 0, n))).append('\n');
    }
    byte[] aq = new byte[8 * 32];
    byte[] bq = new byte[8 * 32];
    random.nextBytes(aq);
    random.nextBytes(bq);
    for (int i = 0; i < aq.length; i++) {
      aq[i] = (byte) Math.max(-127, aq[i]);
      bq[i] = (byte) Math.max(-127, bq[i]);
    }
    float[] as = new float[8];
    float[] bs = new float[8];
    for (int i = 0; i < 8; i++) {
      as[i] = (float) Math.pow(10, random.nextInt(6) - 3);
      bs[i] = random.nextFloat();
    }
    out.append(Float.floatToIntBits(k.dotQ8(aq, 0, as, 0, bq, 0, bs, 0, 8))).append('\n');
    return out.toString();
  }

  public static void main(String[] args) {
    System.out.print(results(args[0].equals("512") ? new Vector512Kernels() : new Vector256Kernels()));
  }
}

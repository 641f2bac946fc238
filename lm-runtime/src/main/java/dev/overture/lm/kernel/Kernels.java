package dev.overture.lm.kernel;

import java.util.ServiceLoader;

/**
 * The inner loops of inference: dot products over float and 8-bit block-quantized data.
 *
 * <p>Everything heavier (matrix-vector and matrix-matrix products, attention) is built from
 * these few primitives by the tensor and model code, so a new instruction set only has to
 * implement this interface. Two implementations exist: {@link PortableKernels} (plain Java, runs
 * everywhere including Android) and the Vector API kernels of the {@code lm-vector} module, which
 * register themselves through {@link ServiceLoader} and are picked by {@link #best()} when the JVM
 * has {@code jdk.incubator.vector}.
 *
 * <p>Quantized data uses blocks of {@link #Q8_BLOCK} values, each block an array slice of signed
 * bytes plus one float scale, so that {@code value = scale * q}. Implementations must be
 * thread-safe and allocation-free.
 */
public interface Kernels {
  /** Number of values that share one scale in the 8-bit block format. */
  int Q8_BLOCK = 32;

  /** A short name for logs, e.g. {@code "portable"} or {@code "vector-256"}. */
  String name();

  /** Returns {@code sum(a[aOff + i] * b[bOff + i])} for {@code i < n}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int n);

  /**
   * Returns the dot product of two block-quantized vectors of {@code blocks} blocks each: {@code
   * sum over blocks j of aScale[j] * bScale[j] * sum(aq * bq)} with the integer products summed
   * exactly. Values must lie in [-127, 127].
   */
  float dotQ8(byte[] aq, int aOff, float[] aScale, int aScaleOff, byte[] bq, int bOff, float[] bScale, int bScaleOff, int blocks);

  /** {@code y[yOff + i] += a * x[xOff + i]} for {@code i < n}. */
  void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n);

  /**
   * {@code y[yOff + i] += a * x[xOff + i]} for {@code i < n}, over bytes: one column step of a
   * {@link Q8Layout#COLUMNS} product. With {@code a} an integer in [-127, 127] and at most
   * {@link #Q8_BLOCK} steps into the same {@code y}, every sum is an integer below 2<sup>24</sup>
   * and so exact in float, as the integer sums of {@link #dotQ8} are.
   */
  void axpyQ8(float a, byte[] x, int xOff, float[] y, int yOff, int n);

  /** The layout of 8-bit block matrices these kernels multiply fastest. */
  Q8Layout q8Layout();

  /**
   * Returns the best kernels this JVM can run: a registered provider that reports itself
   * available, else {@link PortableKernels}. The reason a faster provider was passed over is
   * available from {@link KernelSelection#select()} for start-up logs.
   */
  static Kernels best() {
    return KernelSelection.select().kernels();
  }
}

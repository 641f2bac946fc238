package dev.overture.lm.vector;

import dev.overture.lm.kernel.KernelProvider;
import dev.overture.lm.kernel.Kernels;

/**
 * Offers {@link Vector512Kernels} or {@link Vector256Kernels}, by the CPU's preferred vector
 * width, when the JVM runs with {@code jdk.incubator.vector}. Refers to no Vector API type itself, so that it loads, and can
 * explain why not, on a JVM without the module.
 */
public final class VectorKernelProvider implements KernelProvider {
  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Kernels create() {
    if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      throw new UnsupportedOperationException("Vector API kernels need the JVM option --add-modules jdk.incubator.vector (./overture passes it)");
    }
    int bits = VectorWidth.preferredBits();
    if (bits < 256) {
      throw new UnsupportedOperationException("this CPU offers " + bits + "-bit vectors; the Vector API kernels need 256");
    }
    return bits >= 512 ? new Vector512Kernels() : new Vector256Kernels();
  }
}

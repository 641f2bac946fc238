package dev.overture.lm.kernel;

/**
 * Service-provider interface for faster {@link Kernels}. Register an implementation in {@code
 * META-INF/services/dev.overture.lm.kernel.KernelProvider}.
 */
public interface KernelProvider {
  /** Higher wins among available providers; the portable kernels rank 0. */
  int priority();

  /**
   * Creates the kernels, or throws {@link UnsupportedOperationException} with a reason a person
   * can act on (for example "run with --add-modules jdk.incubator.vector").
   */
  Kernels create();
}

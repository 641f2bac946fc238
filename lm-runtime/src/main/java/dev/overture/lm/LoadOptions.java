package dev.overture.lm;

import dev.overture.lm.kernel.Kernels;
import java.util.function.Function;

/**
 * How a model is loaded.
 *
 * @param kernels the inner loops to run on ({@link Kernels#best()} by default)
 * @param experts turns the file's experts into the provider the MoE layers ask; {@link
 *     ExpertProvider#resident} by default, an offloading cache in the cloud
 */
public record LoadOptions(Kernels kernels, Function<ExpertSource, ExpertProvider> experts) {
  public LoadOptions {
    if (kernels == null || experts == null) {
      throw new IllegalArgumentException("kernels and experts must not be null");
    }
  }

  public static LoadOptions defaults() {
    return new LoadOptions(Kernels.best(), ExpertProvider::resident);
  }

  public LoadOptions withKernels(Kernels kernels) {
    return new LoadOptions(kernels, experts);
  }

  public LoadOptions withExperts(Function<ExpertSource, ExpertProvider> experts) {
    return new LoadOptions(kernels, experts);
  }
}

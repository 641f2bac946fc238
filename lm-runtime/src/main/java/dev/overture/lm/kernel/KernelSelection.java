package dev.overture.lm.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Which kernels were chosen and why the others were not. Programs print {@link #describe()} at
 * start-up so that a silent fallback to the portable kernels is always visible.
 *
 * @param kernels the chosen kernels
 * @param passedOver one line per provider that could not be used, with its reason
 */
public record KernelSelection(Kernels kernels, List<String> passedOver) {
  private static volatile KernelSelection cached;

  public KernelSelection {
    passedOver = Collections.unmodifiableList(new ArrayList<>(passedOver));
  }

  /**
   * Selects once per JVM: the available provider of highest priority, else the portable kernels.
   * The system property {@code overture.kernels=portable} forces the portable kernels.
   */
  public static KernelSelection select() {
    KernelSelection s = cached;
    if (s == null) {
      synchronized (KernelSelection.class) {
        s = cached;
        if (s == null) {
          s = cached = load();
        }
      }
    }
    return s;
  }

  private static KernelSelection load() {
    List<String> passed = new ArrayList<>();
    if ("portable".equals(System.getProperty("overture.kernels"))) {
      passed.add("faster kernels disabled by -Doverture.kernels=portable");
      return new KernelSelection(new PortableKernels(), passed);
    }
    Kernels best = null;
    int bestPriority = 0;
    try {
      for (KernelProvider p : ServiceLoader.load(KernelProvider.class, KernelProvider.class.getClassLoader())) {
        try {
          Kernels k = p.create();
          if (best == null || p.priority() > bestPriority) {
            best = k;
            bestPriority = p.priority();
          }
        } catch (UnsupportedOperationException | LinkageError e) {
          passed.add(p.getClass().getName() + ": " + e.getMessage());
        }
      }
    } catch (ServiceConfigurationError e) {
      passed.add("kernel providers could not be loaded: " + e.getMessage());
    }
    return new KernelSelection(best != null ? best : new PortableKernels(), passed);
  }

  /** One line for start-up logs, e.g. {@code kernels: vector-256 (AVX2 floats x8)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("kernels: ").append(kernels.name());
    for (String p : passedOver) {
      sb.append("; not used: ").append(p);
    }
    return sb.toString();
  }
}

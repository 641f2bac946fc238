package dev.overture.lm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The model files that ship in the repository's {@code models/} folder, found wherever a program
 * runs from: {@code models/<file>} relative to the working directory when it is there, else under
 * the checkout named by the environment variable {@value #HOME_VARIABLE} (which the {@code
 * ./overture} launcher sets), else the relative path, so that the error names what was looked for.
 */
public final class BundledModels {

  /** The environment variable naming the checkout the launcher runs from. */
  public static final String HOME_VARIABLE = "OVERTURE_HOME";

  /** The device's micro model, Q8_0. */
  public static final String MICRO = "overture-micro-q8_0.gguf";
  /** The cloud's MoE model (8 experts, top-2), Q8_0: the service's default. */
  public static final String MOE = "overture-moe-q8_0.gguf";
  /** The fine-grained MoE model (64 experts, top-8), Q8_0. */
  public static final String MOE64 = "overture-moe64-q8_0.gguf";

  private BundledModels() {}

  /** Where the bundled {@code fileName} is (see the class comment). */
  public static Path path(String fileName) {
    return inCheckout("models/" + fileName);
  }

  /**
   * Where another file that ships in the checkout is ({@code trace-replay/traces/...}), found the
   * same way as the models.
   */
  public static Path inCheckout(String relativePath) {
    return inCheckout(Paths.get(relativePath));
  }

  /** {@link #inCheckout(String)} for a path: itself if absolute or present here. */
  public static Path inCheckout(Path path) {
    return resolve(path, System.getenv(HOME_VARIABLE));
  }

  /**
   * {@code path} itself if it is absolute or exists, else {@code path} under {@code home} if that
   * exists, else {@code path}.
   */
  public static Path resolve(Path path, String home) {
    if (path.isAbsolute() || Files.exists(path) || home == null || home.isEmpty()) {
      return path;
    }
    Path underHome = Paths.get(home).resolve(path);
    return Files.exists(underHome) ? underHome : path;
  }
}

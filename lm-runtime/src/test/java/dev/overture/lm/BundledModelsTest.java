package dev.overture.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledModelsTest {

  @TempDir Path checkout;

  @Test
  void aModelMissingHereIsFoundInTheCheckout() throws IOException {
    Path relative = Path.of("models", "no-such-model-here.gguf");
    Files.createDirectories(checkout.resolve("models"));
    Files.writeString(checkout.resolve(relative), "GGUF");
    assertEquals(checkout.resolve(relative), BundledModels.resolve(relative, checkout.toString()));
  }

  @Test
  void aPathMissingEverywhereStaysAsGivenSoThatTheErrorNamesIt() {
    Path relative = Path.of("models", "no-such-model-anywhere.gguf");
    assertEquals(relative, BundledModels.resolve(relative, checkout.toString()));
    assertEquals(relative, BundledModels.resolve(relative, null));
  }

  @Test
  void anAbsolutePathIsNeverMoved() {
    Path absolute = checkout.resolve("elsewhere.gguf");
    assertEquals(absolute, BundledModels.resolve(absolute, "/somewhere/else"));
  }

  @Test
  void theBundledMicroModelIsFoundFromTheModuleDirectory() {
    // Tests run in lm-runtime/, the checkout is its parent: the launcher's case from another folder.
    Path found = BundledModels.resolve(Path.of("models", BundledModels.MICRO), Path.of("..").toAbsolutePath().normalize().toString());
    assertEquals(true, Files.exists(found), found.toString());
  }
}

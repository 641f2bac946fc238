package dev.overture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchOffloadCommandTest {
  @TempDir Path dir;

  @Test
  void refusesASwitchingCostOutsideTheRoutersMassBeforeLoadingAnything() {
    CommandLine cl = Overture.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    Path target = dir.resolve("offload");
    int code = cl.execute("bench", "offload", "--model", dir.resolve("absent.gguf").toString(), "--out", target.toString(),
        "--sticky-costs", "0.2,1.5");
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("overture bench offload: "), err.toString()); // the whole command, not "offload"
    assertTrue(err.toString().contains("--sticky-costs: a switching cost is a share of the router's mass, in [0, 1]; got 1.5"), err.toString());
    assertFalse(err.toString().contains("at dev."), "no stack trace");
    assertFalse(Files.exists(target), "nothing written");
  }
}

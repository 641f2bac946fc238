package dev.overture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  @TempDir Path dir;

  private String[] run(String... args) {
    CommandLine cl = Overture.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  private Path model() throws Exception {
    Path p = dir.resolve("tiny.gguf");
    new SyntheticModelWriter(new ModelShape("llama", 64, 2, 4, 2, 64, 512, 0, 0, true, 128), GgmlType.Q8_0, 1).write(p);
    return p;
  }

  @Test
  void greedyGenerationIsReproducibleAndReportsSpeedAndKernels() throws Exception {
    Path m = model();
    String[] a = run("generate", "--model", m.toString(), "--prompt", "the cat", "--max-tokens", "12");
    String[] b = run("generate", "--model", m.toString(), "--prompt", "the cat", "--max-tokens", "12");
    assertEquals("0", a[0], a[2]);
    assertTrue(a[1].startsWith("the cat"), a[1]);
    assertEquals(a[1], b[1], "greedy output must not vary");
    assertTrue(a[2].contains("kernels: "), a[2]);
    assertTrue(a[2].matches("(?s).*generated: \\d+ tokens in .* tokens/s\\).*"), a[2]);
  }

  @Test
  void chatModeWrapsThePromptInTheModelsChatFormat() throws Exception {
    String[] r = run("generate", "--model", model().toString(), "--prompt", "hello", "--chat", "--max-tokens", "4");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].matches("(?s).*prompt: \\d+ tokens.*"), r[2]);
    assertTrue(!r[1].startsWith("hello"), "chat mode prints only the reply");
  }

  @Test
  void aMissingModelFileIsAClearError() {
    String[] r = run("generate", "--model", dir.resolve("nope.gguf").toString(), "--prompt", "x");
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("overture generate: no such file: ") && r[2].contains("nope.gguf"), r[2]);
    assertTrue(!r[2].contains("\tat "), "no stack trace for a user error");
  }

  @Test
  void aTokenCountBelowOneIsRefusedNamingTheOption() throws Exception {
    String[] r = run("generate", "--model", model().toString(), "--prompt", "x", "--max-tokens", "-1");
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("overture generate: --max-tokens must be at least 1, got -1"), r[2]);
  }

  @Test
  void aBadSamplingOrSessionValueIsRefusedNamingTheOption() throws Exception {
    String[] topP = run("generate", "--model", model().toString(), "--prompt", "x", "--temperature", "0.8", "--top-p", "1.5");
    assertEquals("1", topP[0]);
    assertTrue(topP[2].contains("overture generate: --top-p must be in (0, 1]"), topP[2]);
    String[] context = run("generate", "--model", model().toString(), "--prompt", "x", "--context", "0");
    assertTrue(context[2].contains("overture generate: --context must be positive"), context[2]);
  }
}

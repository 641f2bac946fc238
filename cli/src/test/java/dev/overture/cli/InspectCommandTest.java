package dev.overture.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.gguf.GgufWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {
  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run inspect(String... args) {
    CommandLine cl = Overture.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(Arrays.asList("inspect"));
    all.addAll(Arrays.asList(args));
    int code = cl.execute(all.toArray(new String[0]));
    return new Run(code, out.toString(), err.toString());
  }

  private Path model() throws Exception {
    List<String> tokens = new ArrayList<>(Arrays.asList("<|pad|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>"));
    for (int i = 0; i < 20; i++) {
      tokens.add("t" + i);
    }
    int[] types = new int[tokens.size()];
    Arrays.fill(types, 1);
    Arrays.fill(types, 0, 4, 3);
    Path path = dir.resolve("tiny.gguf");
    new GgufWriter()
        .put("general.architecture", "llama")
        .put("llama.context_length", 256)
        .put("tokenizer.ggml.model", "gpt2")
        .put("tokenizer.ggml.pre", "gpt-2")
        .putStrings("tokenizer.ggml.tokens", tokens)
        .putInts("tokenizer.ggml.token_type", types)
        .putStrings("tokenizer.ggml.merges", new ArrayList<>())
        .put("tokenizer.ggml.bos_token_id", 1)
        .put("tokenizer.ggml.eos_token_id", 2)
        .put("tokenizer.chat_template", "{% for message in messages %}<|im_start|>...")
        .addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {32, 24}, ByteBuffer.allocate(34 * 24))
        .addTensor("output_norm.weight", new long[] {32}, new float[32])
        .write(path);
    return path;
  }

  @Test
  void printsVersionMetadataTensorsTotalsAndTokenizer() throws Exception {
    Run run = inspect(model().toString());
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    assertTrue(out.contains("GGUF version 3"), out);
    assertTrue(out.contains("llama.context_length"), out);
    assertTrue(out.contains("uint32           256"), out);
    assertTrue(out.contains("string[24]       [\"<|pad|>\", \"<|im_start|>\", \"<|im_end|>\", \"<|endoftext|>\", ... 20 more]"), out);
    assertTrue(out.contains("token_embd.weight   Q8_0     [32, 24]"), out);
    assertTrue(out.contains("Totals: 800 parameters, 944 bytes of tensor data"), out);
    assertTrue(out.contains("Q8_0         1 tensors              768 parameters              816 bytes"), out);
    assertTrue(out.contains("model gpt2, pre-tokenizer gpt-2, 24 tokens, 4 special"), out);
    assertTrue(out.contains("bos 1 \"<|im_start|>\" (added to prompts: no), eos 2 \"<|im_end|>\""), out);
    assertTrue(out.contains("end of generation: 2 \"<|im_end|>\", 3 \"<|endoftext|>\""), out);
    assertTrue(out.contains("chat format: CHATML"), out);
  }

  @Test
  void leavesOutTheTensorTableOnRequest() throws Exception {
    Run run = inspect("--no-tensors", model().toString());
    assertEquals(0, run.exitCode());
    assertFalse(run.out().contains("token_embd.weight"), run.out());
    assertTrue(run.out().contains("Totals: 800 parameters"), run.out());
  }

  @Test
  void failsClearlyOnOtherFiles() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.write(text, "hello".getBytes(StandardCharsets.UTF_8));
    Run run = inspect(text.toString());
    assertEquals(1, run.exitCode());
    assertEquals("overture inspect: notes.txt: not a GGUF file: bytes 0-3 are 68 65 6c 6c, expected the magic 'GGUF' (47 47 55 46)",
        run.err().trim());
    assertFalse(run.err().contains("at dev."), "no stack trace");
    assertEquals("", run.out());
  }

  @Test
  void failsClearlyOnMissingFiles() {
    Run run = inspect(dir.resolve("absent.gguf").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("overture inspect: no such file: "), run.err());
  }

  @Test
  void printsHelp() {
    Run run = inspect("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: overture inspect"), run.out());
    assertTrue(run.out().contains("--no-tensors"), run.out());
  }
}

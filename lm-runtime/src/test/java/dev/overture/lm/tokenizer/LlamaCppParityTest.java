package dev.overture.lm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.gguf.GgufFile;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids that llama.cpp (b4748, {@code llama-tokenize}) produced for 100 texts, fixed in {@code
 * tokenizer/llama-cpp-vectors.tsv}: Overture's trained 7,195-token byte-level BPE vocabulary under
 * four pre-tokenizers, and a SentencePiece vocabulary derived from it with byte fallback tokens.
 */
class LlamaCppParityTest {

  @Test
  void matchesLlamaCppTokenIds(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(resource("llama-cpp-vectors.tsv"), StandardCharsets.UTF_8);
    Map<String, Tokenizer> tokenizers = new HashMap<>();
    int checked = 0;
    for (String line : lines) {
      if (line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String vocabulary = f[0] + " " + f[1];
      Tokenizer tokenizer = tokenizers.get(vocabulary);
      if (tokenizer == null) {
        tokenizer = load(f[0], f[1], dir);
        tokenizers.put(vocabulary, tokenizer);
      }
      String text = unescape(f[3]);
      int[] ids = f[2].equals("plain") ? tokenizer.encode(text) : tokenizer.encodeWithSpecials(text);
      assertEquals(f[4], Arrays.toString(ids).replace(" ", ""), () -> vocabulary + " " + f[2] + ": '" + f[3] + "'");
      assertEquals(text, tokenizer.decode(ids), () -> vocabulary + " decode of '" + f[3] + "'");
      checked++;
    }
    assertEquals(700, checked);
  }

  private static Tokenizer load(String kind, String pre, Path dir) throws IOException, URISyntaxException {
    Path file = resource(kind + "-vocab.gguf");
    GgufMetadata metadata;
    try (GgufFile gguf = GgufFile.open(file)) {
      metadata = gguf.metadata();
    }
    if (kind.equals("bpe") && !pre.equals(metadata.getString("tokenizer.ggml.pre"))) {
      Path variant = dir.resolve("bpe-" + pre + ".gguf");
      new GgufWriter().putAll(metadata).put("tokenizer.ggml.pre", pre).write(variant);
      try (GgufFile gguf = GgufFile.open(variant)) {
        metadata = gguf.metadata();
      }
    }
    Tokenizer tokenizer = Tokenizer.fromGguf(metadata);
    assertTrue(tokenizer.vocabSize() > 7000);
    return tokenizer;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Paths.get(LlamaCppParityTest.class.getResource("/tokenizer/" + name).toURI());
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }
}

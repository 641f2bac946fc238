package dev.overture.device.opener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class FaithfulCopyTest {

  static Stream<JsonNode> cases() throws Exception {
    JsonNode root = new ObjectMapper().readTree(Paths.get("models/fixtures/faithful-copy.json").toFile());
    return StreamSupport.stream(root.get("cases").spliterator(), false);
  }

  /** The cases {@code training/selftest.py} checks the evaluation's copy of the rule against. */
  @ParameterizedTest
  @MethodSource("cases")
  void decidesEachSharedCaseAsSpecified(JsonNode c) {
    byte[] spoken = bytes(c, "spoken");
    byte[] candidate = c.path("ends").asBoolean() ? new byte[] {' '} : bytes(c, "candidate");
    List<byte[]> userWords = FaithfulCopy.words(c.get("user").asText().getBytes(StandardCharsets.UTF_8)).stream()
        .filter(w -> w.length >= FaithfulCopy.COPY_PREFIX).toList();
    assertEquals(c.get("faithful").asBoolean(), FaithfulCopy.faithful(spoken, candidate, userWords), c.get("why").asText());
  }

  @Test
  void keepsTheGreedyTokenWhenItIsFaithful() {
    Map<Integer, String> vocab = Map.of(0, " coat", 1, "inaw", 2, " is");
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackinaw");
    assertEquals(0, copy.choose(new float[] {3f, 1f, 2f}, 0, t -> utf8(vocab.get(t)), t -> false));
  }

  @Test
  void takesTheBestFaithfulTokenInsteadOfAGarbledCopy() {
    Map<Integer, String> vocab = Map.of(0, " coat", 1, "inaw", 2, " is", 3, "aw");
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackinaw");
    assertEquals(2, copy.choose(new float[] {1f, 5f, 3f, 4f}, 1, t -> utf8(vocab.get(t)), t -> false),
        "inaw and aw repeat a piece; the reply goes on with the best faithful token");
  }

  @Test
  void followsTheCopyAcrossTokensAsTheyAreAppended() {
    Map<Integer, String> vocab = Map.of(0, " mack", 1, "in", 2, "aw", 3, " self", 4, " is");
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A");
    float[] logits = {0f, 0f, 1f, 5f, 4f};
    copy.append(utf8(vocab.get(0)));
    copy.append(utf8(vocab.get(1)));
    assertEquals(2, copy.choose(logits, 3, t -> utf8(vocab.get(t)), t -> false), "mackin must go on to mackinaw");
    copy.append(utf8(vocab.get(2)));
    assertEquals(3, copy.choose(logits, 3, t -> utf8(vocab.get(t)), t -> false), "mackinaw is whole: any next word");
  }

  @Test
  void aStopTokenMayNotCutACopyShort() {
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackin");
    Map<Integer, String> vocab = Map.of(0, "<|im_end|>", 1, "aw");
    assertEquals(1, copy.choose(new float[] {9f, 1f}, 0, t -> utf8(vocab.get(t)), t -> t == 0));
  }

  @Test
  void fallsBackToTheGreedyTokenWhenNoCandidateIsFaithful() {
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackin");
    float[] logits = new float[200];
    for (int t = 0; t < logits.length; t++) {
      logits[t] = -t;
    }
    assertEquals(0, copy.choose(logits, 0, t -> utf8(" w" + t), t -> false));
  }

  @Test
  void wordsAreLowerCasedLetterRuns() {
    List<String> words = FaithfulCopy.words(utf8("What's a Crème-brûlée, 2 of them?")).stream()
        .map(w -> new String(w, StandardCharsets.UTF_8)).toList();
    assertEquals(List.of("what", "s", "a", "crème-brûlée", "of", "them"), words);
    assertTrue(FaithfulCopy.words(utf8("猫是什么")).isEmpty(), "other scripts are not letters here");
  }

  private static byte[] bytes(JsonNode c, String field) {
    return c.has(field + "_hex") ? HexFormat.of().parseHex(c.get(field + "_hex").asText()) : utf8(c.get(field).asText());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

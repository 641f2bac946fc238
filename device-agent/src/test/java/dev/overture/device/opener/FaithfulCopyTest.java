package dev.overture.device.opener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class FaithfulCopyTest {

  static Stream<JsonNode> cases() throws Exception {
    return fixture("cases");
  }

  static Stream<JsonNode> choices() throws Exception {
    return fixture("choices");
  }

  /** An array of the fixture shared with {@code training/selftest.py}. */
  private static Stream<JsonNode> fixture(String array) throws Exception {
    JsonNode root = new ObjectMapper().readTree(Paths.get("models/fixtures/faithful-copy.json").toFile());
    return StreamSupport.stream(root.get(array).spliterator(), false);
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

  /** The choices {@code training/selftest.py} checks the evaluation's copy of the rules against (D49-D53). */
  @ParameterizedTest
  @MethodSource("choices")
  void choosesEachSharedCaseAsSpecified(JsonNode c) {
    List<String> pieces = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    float[] logits = new float[c.get("tokens").size()];
    for (JsonNode token : c.get("tokens")) {
      logits[pieces.size()] = (float) token.get(1).asDouble();
      String piece = token.get(0).asText();
      pieces.add(piece);
      bytes.add(token.path(2).asText().equals("hex") ? HexFormat.of().parseHex(piece) : utf8(piece));
    }
    Set<String> control = texts(c.path("control"));
    Set<String> ends = texts(c.path("ends"));
    TokenTable tokens = table(pieces, bytes, ends::contains, control::contains);
    List<String> users = new ArrayList<>(texts(c.get("users")));
    FaithfulCopy copy = new FaithfulCopy(users, "");
    copy.append(bytes(c, "spoken"));
    int chosen = copy.choose(logits, greedy(logits), tokens);
    assertEquals(c.get("choice").asText(), pieces.get(chosen), c.get("why").asText());
  }

  @Test
  void keepsTheGreedyTokenWhenItIsFaithful() {
    TokenTable tokens = table(List.of(" coat", "inaw", " is"));
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackinaw");
    assertEquals(0, copy.choose(new float[] {3f, 1f, 2f}, 0, tokens));
  }

  @Test
  void takesTheBestFaithfulTokenInsteadOfAGarbledCopy() {
    TokenTable tokens = table(List.of(" sail", "inaw", " is", "aw"));
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackinaw");
    assertEquals(2, copy.choose(new float[] {1f, 5f, 3f, 4f}, 1, tokens),
        "inaw and aw repeat a piece; the reply goes on with the best faithful token");
  }

  @Test
  void followsTheCopyAcrossTokensAsTheyAreAppended() {
    List<String> pieces = List.of(" mack", "in", "aw", " self", " is");
    TokenTable tokens = table(pieces);
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A");
    float[] logits = {0f, 0f, 1f, 5f, 4f};
    copy.append(utf8(pieces.get(0)));
    copy.append(utf8(pieces.get(1)));
    assertEquals(2, copy.choose(logits, 3, tokens), "mackin must go on to mackinaw");
    copy.append(utf8(pieces.get(2)));
    assertEquals(3, copy.choose(logits, 3, tokens), "mackinaw is whole: any next word");
  }

  @Test
  void aStopTokenMayNotCutACopyShort() {
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackin");
    TokenTable tokens = table(List.of("<|im_end|>", "aw"), t -> t.equals("<|im_end|>"), t -> t.equals("<|im_end|>"));
    assertEquals(1, copy.choose(new float[] {9f, 1f}, 0, tokens));
  }

  @Test
  void fallsBackToTheGreedyTokenWhenNoCandidateIsFaithful() {
    FaithfulCopy copy = new FaithfulCopy(List.of("Tell me what a mackinaw coat is."), "A mackin");
    List<String> pieces = new ArrayList<>();
    float[] logits = new float[200];
    for (int t = 0; t < logits.length; t++) {
      logits[t] = -t;
      pieces.add(" w" + t);
    }
    assertEquals(0, copy.choose(logits, 0, table(pieces)));
  }

  @Test
  void aCopyLooksAtTheWholeReplyNotOnlyTheWordInProgress() {
    TokenTable tokens = table(List.of(" away", " coat"));
    FaithfulCopy copy = new FaithfulCopy(List.of("What is a mackinaw coat?"), "");
    copy.append(utf8("A mack"));
    copy.append(utf8("inaw"));
    assertEquals(1, copy.choose(new float[] {5f, -4f}, 0, tokens), "the copy goes on after mackinaw, said in two tokens");
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

  private static TokenTable table(List<String> pieces) {
    return table(pieces, t -> false, t -> false);
  }

  private static TokenTable table(List<String> pieces, Predicate<String> ends, Predicate<String> control) {
    return table(pieces, pieces.stream().map(FaithfulCopyTest::utf8).toList(), ends, control);
  }

  private static TokenTable table(List<String> pieces, List<byte[]> pieceBytes, Predicate<String> ends, Predicate<String> control) {
    int n = pieces.size();
    byte[][] bytes = new byte[n][];
    boolean[] end = new boolean[n];
    boolean[] isControl = new boolean[n];
    for (int t = 0; t < n; t++) {
      bytes[t] = pieceBytes.get(t);
      end[t] = ends.test(pieces.get(t));
      isControl[t] = control.test(pieces.get(t));
    }
    return new TokenTable(bytes, end, isControl);
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  private static int greedy(float[] logits) {
    int best = 0;
    for (int t = 1; t < logits.length; t++) {
      if (logits[t] > logits[best]) {
        best = t;
      }
    }
    return best;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package dev.overture.device.opener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.LanguageModel;
import dev.overture.lm.SessionOptions;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import dev.overture.protocol.Words;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class MicroSessionTest {

  private static final String QUESTION = "What is a violin?";
  private static final List<HistoryItem> HISTORY = List.of(
      new HistoryItem(Role.USER, "Hi."), new HistoryItem(Role.ASSISTANT, "Hello! What would you like to know?"));

  private static LanguageModel model;
  private final List<MicroSession> sessions = new ArrayList<>();

  @BeforeAll
  static void loadModel() throws Exception {
    model = LanguageModel.load(Paths.get("models/overture-micro-q8_0.gguf"));
  }

  @AfterAll
  static void closeModel() throws Exception {
    model.close();
  }

  @AfterEach
  void closeSessions() {
    sessions.forEach(MicroSession::close);
  }

  @ParameterizedTest
  @ValueSource(strings = {"it.", " it?", " it!", "\u3002", " \"it.\"", " (it.)", " it.\u201d", " it.'", " 1969.", " No."})
  void sentenceEndsAtAFullStopQuestionOrExclamationMarkBeforeClosingQuotes(String word) {
    assertTrue(MicroSession.endsSentence(word));
  }

  @ParameterizedTest
  @ValueSource(strings = {" it", " it,", " 3.5", " U.S.A", "", "1.", " 12.", " Mr.", " Dr.", " e.g.", " U.S."})
  void sentenceGoesOnAfterOtherCharactersListNumbersAndAbbreviations(String word) {
    assertFalse(MicroSession.endsSentence(word));
  }

  @Test
  void openerWordsFollowTheProtocolsConvention() {
    OpenerDraft draft = draft(6, () -> false);

    assertTrue(draft.complete());
    assertFalse(draft.words().isEmpty());
    assertEquals(1, Words.count(draft.words().get(0)));
    assertFalse(Words.isSeparator(draft.words().get(0).charAt(0)), "word 0 has no leading separator");
    for (String word : draft.words().subList(1, draft.words().size())) {
      assertTrue(Words.isSeparator(word.charAt(0)), "[" + word + "] starts with a separator");
      assertEquals(1, Words.count(word), word);
    }
  }

  @Test
  void openerStopsAtItsLength() {
    OpenerDraft draft = draft(2, () -> false);

    assertTrue(draft.words().size() <= 2, draft.words().toString());
  }

  @Test
  void openerWordsStayWithinTheAnnouncedWordLength() {
    MicroSession micro = session();
    micro.prepare(HISTORY, QUESTION);
    OpenerDraft unlimited = micro.draftOpener(6, MicroSession.MAX_WORD_CHARS, word -> {}, () -> false);
    int longest = unlimited.words().stream().mapToInt(String::length).max().orElseThrow();
    micro.prepare(HISTORY, QUESTION);

    OpenerDraft limited = micro.draftOpener(6, longest - 1, word -> {}, () -> false);

    assertTrue(limited.words().size() < unlimited.words().size(), limited.words() + " against " + unlimited.words());
    limited.words().forEach(word -> assertTrue(word.length() < longest, word));
  }

  @Test
  void sameConversationGetsTheSameOpener() {
    assertEquals(draft(8, () -> false), draft(8, () -> false));
  }

  @Test
  void abortedOpenerIsIncomplete() {
    OpenerDraft draft = draft(8, () -> true);

    assertFalse(draft.complete());
    assertEquals(List.of(), draft.words());
  }

  @Test
  void warmCacheLeavesOnlyTheQuestionToPrefill() {
    MicroSession cold = session();
    MicroSession warm = session();
    warm.warm(HISTORY);

    int coldPrefill = cold.prepare(HISTORY, QUESTION);
    int warmPrefill = warm.prepare(HISTORY, QUESTION);

    assertTrue(warmPrefill > 0 && warmPrefill < coldPrefill, warmPrefill + " of " + coldPrefill);
  }

  @Test
  void questionBeyondTheContextGetsNoOpener() {
    MicroSession micro = session();
    String tooLong = " word".repeat(model.config().contextLength());

    assertEquals(-1, micro.prepare(HISTORY, tooLong));
  }

  @Test
  void localCompletionContinuesTheReplyToTheSentenceEnd() {
    MicroSession micro = session();
    List<String> pieces = new ArrayList<>();

    assertTrue(micro.completeLocally(HISTORY, QUESTION, "A violin is", pieces::add, () -> false));

    assertFalse(pieces.isEmpty());
    for (String piece : pieces.subList(0, pieces.size() - 1)) {
      assertFalse(MicroSession.endsSentence(piece), "no sentence ends before the last piece: " + pieces);
    }
  }

  @Test
  void aLocalPieceThatTouchesTheLastWordAttachesToIt() {
    MicroSession micro = session();
    List<String> pieces = new ArrayList<>();
    String reply = "Country refers to a politically organized body of people under a single government";

    assertTrue(micro.completeLocally(List.of(), "What is a country?", reply, pieces::add, () -> false));

    // The bundled micro ends this sentence at once; the full stop belongs to "government".
    assertEquals(List.of("."), pieces);
    assertEquals(Words.count(reply), Words.count(reply + String.join("", pieces)));
  }

  /**
   * The bundled micro garbles this word with plain greedy decoding (training/evaluate.py --raw-micro
   * shows the same); the rule makes it say the word as asked.
   */
  @Test
  void faithfulCopyRepeatsTheUsersWordThatPlainGreedyGarbles() {
    String question = "Tell me what a mackinaw coat is.";
    List<String> plain = opener(session(false), question);
    List<String> faithful = opener(session(true), question);

    assertEquals(" mackinawin", plain.get(1), "plain greedy: " + plain);
    assertEquals(" mackinaw", faithful.get(1), "faithful copy: " + faithful);
  }

  /**
   * The bundled micro drops the user's second word ("A mackinaw away is") and scrambles a quoted
   * word ("wardizry") when only faithful copy applies; going on with the user's words (D49) says
   * them as asked. training/faithful_copy.py gives the same openers.
   */
  @Test
  void goesOnWithTheUsersWordsThatTheModelWouldDropOrScramble() {
    assertEquals(List.of("A", " mackinaw", " coat", " is"), opener(session(true), "What is a mackinaw coat?"));
    assertEquals(List.of("The", " word", " \"wizardry\"", " means"), opener(session(true), "What does \"wizardry\" mean?"));
  }

  private static List<String> opener(MicroSession micro, String question) {
    micro.prepare(List.of(), question);
    return micro.draftOpener(4, MicroSession.MAX_WORD_CHARS, word -> {}, () -> false).words();
  }

  /** An opener of at most {@code maxWords} for {@link #QUESTION} after {@link #HISTORY}, on a new session. */
  private OpenerDraft draft(int maxWords, BooleanSupplier abort) {
    MicroSession micro = session();
    micro.prepare(HISTORY, QUESTION);
    return micro.draftOpener(maxWords, MicroSession.MAX_WORD_CHARS, word -> {}, abort);
  }

  private MicroSession session() {
    return session(true);
  }

  private MicroSession session(boolean faithfulCopy) {
    try {
      MicroSession micro = new MicroSession(model, SessionOptions.defaults().withContextLength(model.config().contextLength()), "", faithfulCopy);
      sessions.add(micro);
      return micro;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

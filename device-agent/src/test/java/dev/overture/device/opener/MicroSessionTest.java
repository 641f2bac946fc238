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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  @Test
  void sentenceEndsAtAFullStopQuestionOrExclamationMark() {
    assertTrue(MicroSession.endsSentence("it."));
    assertTrue(MicroSession.endsSentence(" it?"));
    assertTrue(MicroSession.endsSentence(" it!"));
    assertTrue(MicroSession.endsSentence("\u3002"));
  }

  @Test
  void sentenceEndsBeforeClosingQuotesAndBrackets() {
    assertTrue(MicroSession.endsSentence(" \"it.\""));
    assertTrue(MicroSession.endsSentence(" (it.)"));
    assertTrue(MicroSession.endsSentence(" it.\u201d"));
    assertTrue(MicroSession.endsSentence(" it.'"));
  }

  @Test
  void sentenceGoesOnAfterOtherCharacters() {
    assertFalse(MicroSession.endsSentence(" it"));
    assertFalse(MicroSession.endsSentence(" it,"));
    assertFalse(MicroSession.endsSentence(" 3.5"));
    assertFalse(MicroSession.endsSentence(" U.S.A"));
    assertFalse(MicroSession.endsSentence(""));
  }

  @Test
  void openerWordsFollowTheProtocolsConvention() {
    MicroSession micro = session();
    micro.prepare(HISTORY, QUESTION);

    OpenerDraft draft = micro.draftOpener(6, word -> {}, () -> false);

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
    MicroSession micro = session();
    micro.prepare(HISTORY, QUESTION);

    OpenerDraft draft = micro.draftOpener(2, word -> {}, () -> false);

    assertTrue(draft.words().size() <= 2, draft.words().toString());
  }

  @Test
  void sameConversationGetsTheSameOpener() {
    MicroSession first = session();
    first.prepare(HISTORY, QUESTION);
    MicroSession second = session();
    second.prepare(HISTORY, QUESTION);

    assertEquals(first.draftOpener(8, word -> {}, () -> false), second.draftOpener(8, word -> {}, () -> false));
  }

  @Test
  void abortedOpenerIsIncomplete() {
    MicroSession micro = session();
    micro.prepare(HISTORY, QUESTION);

    OpenerDraft draft = micro.draftOpener(8, word -> {}, () -> true);

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

  private MicroSession session() {
    try {
      MicroSession micro = new MicroSession(model, SessionOptions.defaults().withContextLength(model.config().contextLength()), "");
      sessions.add(micro);
      return micro;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

package dev.overture.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HistoryMirrorTest {

  private static final HistoryItem QUESTION = new HistoryItem(Role.USER, "Do you like music?");

  private final HistoryMirror mirror = new HistoryMirror();

  @Test
  void finishedTurnAddsTheQuestionAndTheReply() {
    turn("t1", "Sure, I love");
    mirror.delta(" electronic music.");
    mirror.done("t1");

    assertEquals(List.of(QUESTION, assistant("Sure, I love electronic music.")), mirror.history());
  }

  @Test
  void rewindKeepsOnlyTheKeptOpenerWords() {
    turn("t1", "Sure, I love");
    mirror.rewound(1);
    mirror.delta(" it is fun.");
    mirror.done("t1");

    assertEquals(List.of(QUESTION, assistant("Sure, it is fun.")), mirror.history());
  }

  @Test
  void truncationReplacesTheReply() {
    turn("t1", "Sure, I love");
    mirror.delta(" electronic music.");
    mirror.done("t1");
    mirror.truncated("t1", "Sure, I");

    assertEquals(List.of(QUESTION, assistant("Sure, I")), mirror.history());
  }

  @Test
  void truncationToNoWordsLeavesOnlyTheQuestion() {
    finishedTurn("Sure, I love");
    mirror.truncated("t1", "");

    assertEquals(List.of(QUESTION), mirror.history());
  }

  @Test
  void replyWithoutWordsAddsNoAssistantItem() {
    finishedTurn("");

    assertEquals(List.of(QUESTION), mirror.history());
  }

  @Test
  void turnEndsOnce() {
    finishedTurn("Sure.");
    mirror.done("t1");

    assertEquals(List.of(QUESTION, assistant("Sure.")), mirror.history());
  }

  @Test
  void eventsOfAnotherTurnChangeNothing() {
    turn("t2", "Sure.");
    mirror.done("t1");
    mirror.truncated("t1", "");

    assertEquals(List.of(), mirror.history());
  }

  @Test
  void replacementStandsForEverythingBefore() {
    finishedTurn("Sure.");
    List<HistoryItem> items = List.of(new HistoryItem(Role.USER, "Hi."), assistant("Hello."));

    mirror.replace(items);

    assertEquals(items, mirror.history());
  }

  /** Turn {@code id} starts, the user asks {@link #QUESTION}, and the device commits {@code opener}. */
  private void turn(String id, String opener) {
    mirror.turnStarted(id);
    mirror.finalText(QUESTION.text());
    mirror.committed(opener);
  }

  /** Turn t1 commits {@code opener} and ends without a continuation. */
  private void finishedTurn(String opener) {
    turn("t1", opener);
    mirror.done("t1");
  }

  private static HistoryItem assistant(String text) {
    return new HistoryItem(Role.ASSISTANT, text);
  }
}

package dev.overture.android;

import static dev.overture.android.Replies.again;
import static dev.overture.android.Replies.device;
import static dev.overture.android.Replies.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.device.Rewind;
import dev.overture.device.TurnStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoiceSessionTest {

  final FakeTts tts = new FakeTts();
  final FakeRecognizer recognizer = new FakeRecognizer();
  final FakeFocus focus = new FakeFocus();
  final FakeDialogue dialogue = new FakeDialogue();
  final Transcript transcript = new Transcript();
  int changes;
  final VoiceSession session = new VoiceSession(tts, recognizer, focus, transcript, () -> changes++);

  VoiceSessionTest() {
    session.attach(dialogue.dialogue());
  }

  /** A whole user utterance: press, one partial, release, final result. */
  private void say(String text) {
    session.pressed();
    session.partial(text);
    session.released();
    session.result(text);
  }

  /** The user asked something and the reply's first two words arrived (the first is playing). */
  private void replyPlaying() {
    say("What is a violin?");
    session.onWord(device("A", 0));
    session.onWord(device(" violin", 1));
    session.speechEvents().started(tts.lastId());
    dialogue.calls.clear();
  }

  @Test
  void pushToTalkStartsTheRecognizer() {
    session.pressed();

    assertEquals(List.of("start"), recognizer.calls);
  }

  @Test
  void pushToTalkDoesNothingBeforeTheAgentIsReady() {
    session.detach();

    session.pressed();

    assertEquals(List.of(), recognizer.calls);
  }

  @Test
  void pressingAgainBeforeAResultAbandonsTheUnansweredUtterance() {
    session.pressed();
    session.released();

    session.pressed();

    assertEquals(List.of("start", "stop", "cancel", "start"), recognizer.calls);
  }

  @Test
  void partialResultsGoToTheAgent() {
    session.pressed();

    session.partial("What is");

    assertEquals(List.of("partial:What is"), dialogue.calls);
  }

  @Test
  void releaseAsksTheRecognizerForTheResult() {
    session.pressed();

    session.released();

    assertEquals(List.of("start", "stop"), recognizer.calls);
  }

  @Test
  void finalResultEndsTheUserTurn() {
    say("What is a violin?");

    assertEquals(List.of("partial:What is a violin?", "final:What is a violin?"), dialogue.calls);
  }

  @Test
  void replyWordsAreSpoken() {
    say("What is a violin?");

    session.onWord(device("A", 0));

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void playbackProgressReachesTheAgent() {
    say("What is a violin?");
    session.onWord(device("A", 0));

    session.speechEvents().started("w1");

    assertEquals("progress:1", dialogue.calls.get(dialogue.calls.size() - 1));
  }

  @Test
  void pushToTalkDuringAReplyHoldsIt() {
    replyPlaying();

    session.pressed();

    assertEquals(List.of(List.of("pause"), 1), List.of(dialogue.calls, tts.stops));
  }

  @Test
  void speechOverTheReplyIsABargeIn() {
    replyPlaying();
    session.pressed();

    session.partial("Stop");

    assertEquals(List.of("pause", "cancel", "partial:Stop"), dialogue.calls);
  }

  @Test
  void bargeInSilencesTheReply() {
    replyPlaying();
    session.pressed();

    session.partial("Stop");

    assertFalse(session.speaking());
  }

  @Test
  void noSpeechAfterAHoldResumesTheReply() {
    replyPlaying();
    session.pressed();
    session.released();

    session.result("");

    assertEquals(List.of("pause", "resume"), dialogue.calls);
  }

  @Test
  void wordsAPauseHeldPastTheirTurnsEndStayWithThatTurn() {
    replyPlaying(); // "A" started, " violin" queued
    session.pressed(); // held
    session.onTurnDone(done(TurnStatus.COMPLETED, "A violin is a"));

    session.failed("no match"); // a false interruption: the agent resumes and hands over the held words
    session.onWord(device(" is", 2));
    session.onWord(device(" a", 3));

    StringBuilder shown = new StringBuilder();
    transcript.segments().forEach(segment -> shown.append(segment.text()));
    assertTrue(shown.toString().contains("A violin is a"), shown.toString()); // one reply, not a second turn's
  }

  @Test
  void falseInterruptionSpeaksTheUnheardWordsAgain() {
    replyPlaying(); // "A" started, " violin" queued
    session.pressed();

    session.failed("no match");

    assertEquals(" violin", tts.lastText());
  }

  @Test
  void redeliveredWordsAreNotSpokenTwice() {
    replyPlaying();
    session.pressed();
    session.result("");
    int utterances = tts.spoken.size();

    session.onWord(again(device(" violin", 1)));

    assertEquals(utterances, tts.spoken.size());
  }

  @Test
  void wordsOfATurnTheUserTalkedOverAreDropped() {
    replyPlaying();
    session.pressed();
    session.partial("Stop");
    int utterances = tts.spoken.size();

    session.onWord(device(" plays", 2)); // already in the callback queue when the cancel was sent

    assertEquals(utterances, tts.spoken.size());
  }

  @Test
  void nextTurnIsSpokenAfterTheTalkedOverTurnEnds() {
    replyPlaying();
    session.pressed();
    session.partial("Why?");
    session.onTurnDone(done(TurnStatus.CANCELLED, "A"));
    session.released();
    session.result("Why?");

    session.onWord(device("Because", 0));

    assertEquals("Because", tts.lastText());
  }

  @Test
  void rewindDropsWordsNotYetSpoken() {
    replyPlaying(); // "A" playing, " violin" queued
    session.onRewind(new Rewind("t1-1", 1));

    session.speechEvents().finished(tts.lastId());

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void transientFocusLossHoldsTheReply() {
    replyPlaying();

    session.focusLost(true);

    assertEquals(List.of("pause"), dialogue.calls);
  }

  @Test
  void focusRegainedResumesTheReply() {
    replyPlaying();
    session.focusLost(true);

    session.focusGained();

    assertEquals(List.of("pause", "resume"), dialogue.calls);
  }

  @Test
  void permanentFocusLossEndsTheReply() {
    replyPlaying();

    session.focusLost(false);

    assertEquals(List.of("cancel"), dialogue.calls);
  }

  @Test
  void focusIsHeldWhileTheReplyPlays() {
    replyPlaying();

    assertTrue(focus.held);
  }

  @Test
  void focusIsGivenBackOnceTheReplyEndedAndPlayed() {
    replyPlaying();
    session.onTurnDone(done(TurnStatus.COMPLETED, "A violin"));
    session.speechEvents().finished(tts.lastId());

    session.speechEvents().finished(tts.lastId());

    assertFalse(focus.held);
  }

  @Test
  void recognizerFailureAfterPartialsClosesTheTurnTheyOpened() {
    session.pressed();
    session.partial("What is");

    session.failed("network");

    assertEquals(List.of("partial:What is", "cancel"), dialogue.calls);
  }

  @Test
  void idleTaskWaitsForTheTurnToEnd() {
    say("What is a violin?");
    int[] runs = {0};
    session.whenIdle(() -> runs[0]++);
    int beforeTurnEnded = runs[0];

    session.onTurnDone(done(TurnStatus.COMPLETED, ""));

    assertEquals(List.of(0, 1), List.of(beforeTurnEnded, runs[0]));
  }

  @Test
  void transcriptShowsTheReplyOfTheTurn() {
    say("What is a violin?");

    session.onWord(device("A", 0));

    assertEquals("A", transcript.segments().get(1).text());
  }

  @Test
  void agentNoticeIsShown() {
    session.onError(new dev.overture.device.AgentException(dev.overture.device.AgentException.Kind.CLOUD_UNREACHABLE, "refused"));

    assertEquals("CLOUD_UNREACHABLE: refused", session.notice());
  }
}

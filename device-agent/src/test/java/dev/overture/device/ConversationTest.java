package dev.overture.device;

import static dev.overture.device.Agents.QUESTION;
import static dev.overture.device.Agents.ask;
import static dev.overture.device.Agents.askStepwise;
import static dev.overture.device.Agents.await;
import static dev.overture.device.Agents.hear;
import static dev.overture.device.Agents.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.CancelReason;
import dev.overture.protocol.ContextHistory;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.OpenerRewindAck;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.Role;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.TurnTruncate;
import dev.overture.protocol.Words;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A conversation in split mode against a scripted cloud on the WebSocket: the verdicts, the
 * continuation, the deadline, barge-in and pause. Each test checks the order of the callbacks,
 * that the words delivered splice into the reply, and that both sides end with the same history.
 */
final class ConversationTest {

  /** More words than the micro model's context holds, well within the protocol's limit. */
  static final String TOO_LONG_FOR_THE_DEVICE = "Tell me" + " more".repeat(1_200) + ".";

  @RegisterExtension @Order(1) final StubCloud cloud = new StubCloud();
  @RegisterExtension @Order(2) final Agents agents = new Agents(); // closes its agents first
  private final RecordingListener listener = new RecordingListener();

  @Test
  void cloudContinuesAnAcceptedOpener() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, " is a string", " instrument.");

    TurnResult result = ask(conversation, QUESTION);

    assertEquals("device cloud done(COMPLETED)", listener.trace());
    StubCloud.CloudTurn turn = cloud.turns().get(0);
    assertEquals(turn.awaitCommit().text() + " is a string instrument.", result.reply());
    assertEquals(turn.reply(), result.reply());
    assertEquals(TurnStatus.COMPLETED, result.status());
    assertEquals(Verdict.ACCEPT, result.metrics().verdict());
    assertEquals("websocket", result.metrics().transport());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void openerWordsReachTheCloudOnceEachInOrder() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, " is a string instrument.");

    TurnResult result = ask(conversation, QUESTION);

    List<String> sent = new ArrayList<>();
    for (OpenerWord word : cloud.received(OpenerWord.class)) {
      assertEquals(sent.size(), word.index());
      sent.add(word.text());
    }
    assertEquals(result.metrics().openerWords(), sent.size());
    assertEquals(String.join("", sent), cloud.turns().get(0).awaitCommit().text());
  }

  @Test
  void continuationStartingWithPunctuationJoinsTheLastOpenerWord() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, ", especially", " at night.");

    TurnResult result = ask(conversation, QUESTION);

    String opener = cloud.turns().get(0).awaitCommit().text();
    assertEquals(opener + ", especially at night.", result.reply());
    ReplyWord comma = listener.words(0).get(result.metrics().openerWords());
    assertEquals(",", comma.text());
    assertEquals(WordSource.CLOUD, comma.source());
    assertEquals(result.metrics().openerWords() - 1, comma.index(), "the comma belongs to the last opener word");
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void rewindBeforeAnyWordWasHeardDropsTheUnspokenWords() throws Exception {
    cloud.onTurn(turn -> {
      turn.rewind(1);
      turn.delta(" bow is used to play it.");
      turn.done();
    });
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals("device rewind(1) cloud done(COMPLETED)", listener.trace());
    assertEquals(1, cloud.received(OpenerRewindAck.class).get(0).keptWords());
    String opener = cloud.turns().get(0).awaitCommit().text();
    assertEquals(Words.prefix(opener, 1) + " bow is used to play it.", result.reply());
    assertEquals(Verdict.REWIND, result.metrics().verdict());
    assertEquals(1, result.metrics().keptOpenerWords());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void rewindAfterWordsWereHeardKeepsThemAndTheCloudRepairs() throws Exception {
    TurnResult result = rewindToOneWordAfterHearing(3);

    assertEquals("device rewind(3) repair(3) cloud done(COMPLETED)", listener.trace());
    assertEquals(Verdict.REPAIR, result.metrics().verdict());
    assertEquals(3, result.metrics().keptOpenerWords(), "the heard words stay");
  }

  @Test
  void rewindAfterTheOpenerFinishedPlayingKeepsItWhole() throws Exception {
    TurnResult result = rewindToOneWordAfterHearing(Integer.MAX_VALUE);

    int all = result.metrics().openerWords();
    assertEquals("device rewind(" + all + ") repair(" + all + ") cloud done(COMPLETED)", listener.trace());
    assertEquals(all, result.metrics().keptOpenerWords());
  }

  @Test
  void repairWithoutRewindFollowsTheWholeOpener() throws Exception {
    cloud.onTurn(turn -> {
      turn.repair(turn.awaitCommit().wordCount());
      turn.delta(" — sorry, a violin is a string instrument.");
      turn.done();
    });
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    int openerWords = result.metrics().openerWords();
    assertEquals("device repair(" + openerWords + ") cloud done(COMPLETED)", listener.trace());
    assertEquals(Verdict.REPAIR, result.metrics().verdict());
    assertEquals(openerWords, result.metrics().keptOpenerWords());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void rewindBringsTheDeadlineToTheEndOfTheKeptWords() throws Exception {
    cloud.onTurn(turn -> {
      turn.rewind(1);
      // ...and no word follows.
    });
    // Two seconds a word, no grace: the committed opener would play for 8 s, the one kept word 2 s.
    OvertureAgent.Builder slow = Agents.patient().speechRate(0.5).fallbackGrace(Duration.ZERO);
    Conversation conversation = agents.connect(slow, cloud, listener);
    long start = System.nanoTime();

    TurnResult result = ask(conversation, QUESTION);

    long millis = (System.nanoTime() - start) / 1_000_000L;
    assertEquals("no cloud word before the opener ended", result.metrics().fallback());
    assertEquals("device rewind(1) device done(LOCAL)", listener.trace());
    // Falling back at the end of the whole opener takes at least 8 s; the kept word's end, 2 s plus
    // the local completion, leaves room for a slow machine below 7.5 s.
    assertTrue(millis < 7_500, "fell back after " + millis + " ms");
  }

  @Test
  void cloudAtItsLengthLimitEndsTheTurnTruncated() throws Exception {
    cloud.onTurn(turn -> {
      turn.awaitCommit();
      turn.accept();
      turn.delta(" is a string");
      turn.done(DoneStatus.TRUNCATED);
    });
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.TRUNCATED, result.status());
    assertEquals("device cloud done(TRUNCATED)", listener.trace());
    assertEquals(cloud.turns().get(0).awaitCommit().text() + " is a string", result.reply());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void failedCloudTurnIsCompletedOnTheDevice() throws Exception {
    cloud.onTurn(turn -> {
      turn.accept();
      turn.delta(" is a ");
      turn.fail(ErrorCode.ENGINE_FAILED, "the stub's engine broke");
    });
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals("device cloud device done(LOCAL)", listener.trace());
    assertEquals("engine_failed", result.error().code());
    assertEquals(List.of(AgentException.Kind.CLOUD_ERROR), listener.errorKinds());
    assertTrue(result.reply().startsWith(cloud.turns().get(0).awaitCommit().text() + " is a"), result.reply());
    listener.assertSpliced(0, result);
    cloud.turns().get(0).await(TurnTruncate.class);
    assertNextTurnBringsTheDeviceHistory(conversation);
  }

  @Test
  void lateCloudIsOvertakenByTheDeviceAndItsWordsAreDropped() throws Exception {
    cloud.onTurn(turn -> {
      turn.holdCancel(); // this cloud answers before it reads the device's cancel
      turn.awaitCommit();
      turn.await(TurnCancel.class);
      turn.accept();
      turn.delta(" late words.");
      turn.done();
    });
    Conversation conversation = agents.connect(Agents.hasty(), cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals("device done(LOCAL)", listener.trace());
    assertEquals("no cloud word before the opener ended", result.metrics().fallback());
    assertEquals(CancelReason.CLIENT_ERROR, cloud.await(TurnCancel.class).reason()); // the held cancel may be consumed after the result
    assertFalse(result.reply().contains("late words"), result.reply());
    listener.assertSpliced(0, result);
    assertNextTurnBringsTheDeviceHistory(conversation);
  }

  @Test
  void cloudThatStallsMidReplyIsCompletedOnTheDevice() throws Exception {
    cloud.onTurn(turn -> {
      turn.accept();
      turn.delta(" is a string ");
      // ...and nothing more.
    }, turn -> turn.answer(" is bigger."));
    // Grace enough for the first cloud word on a loaded machine; the stall then outlasts it.
    OvertureAgent.Builder someGrace = Agents.hasty().fallbackGrace(Duration.ofSeconds(3));
    Conversation conversation = agents.connect(someGrace, cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals("device cloud device done(LOCAL)", listener.trace());
    assertEquals("the cloud stalled mid-reply", result.metrics().fallback());
    assertTrue(result.reply().startsWith(cloud.turns().get(0).awaitCommit().text() + " is a string"), result.reply());
    listener.assertSpliced(0, result);
    assertNextTurnBringsTheDeviceHistory(conversation);
  }

  @Test
  void bargeInKeepsOnlyTheWordsHeard() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = streamingReply(conversation, 4);
    int openerWords = turn.awaitCommit().wordCount();

    conversation.playbackProgress(openerWords + 2);
    await(conversation.cancel());
    TurnResult result = listener.awaitResult(0);

    assertEquals(TurnStatus.CANCELLED, result.status());
    assertEquals("device cloud done(CANCELLED)", listener.trace());
    assertEquals(Words.prefix(turn.awaitCommit().text() + " is a string", openerWords + 2), result.reply());
    assertEquals(CancelReason.BARGE_IN, turn.await(TurnCancel.class).reason());
    assertEquals(openerWords + 2, turn.await(TurnTruncate.class).wordsHeard());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void bargeInWhileTheOpenerIsMadeLeavesOnlyTheQuestion() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    say(conversation, QUESTION);
    await(conversation.cancel());
    TurnResult result = listener.awaitResult(0);

    assertEquals(TurnStatus.CANCELLED, result.status());
    assertEquals("", result.reply());
    assertEquals(List.of(new HistoryItem(Role.USER, QUESTION)), conversation.history());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void cancelAfterTheReplyEndedKeepsWhatWasHeard() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, " is a string instrument.");
    TurnResult result = ask(conversation, QUESTION);

    conversation.playbackProgress(2);
    await(conversation.cancel());

    List<HistoryItem> history = conversation.history();
    assertEquals(new HistoryItem(Role.ASSISTANT, Words.prefix(result.reply(), 2)), history.get(history.size() - 1));
    assertEquals(2, cloud.turns().get(0).await(TurnTruncate.class).wordsHeard());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void pauseHoldsTheWordsThatArriveUntilResume() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    TurnResult result = finishWhilePaused(conversation, 2);
    assertEquals("device done(COMPLETED)", listener.trace());

    conversation.resume();
    listener.awaitWords(0, Words.count(result.reply()));

    assertEquals("device done(COMPLETED) again cloud", listener.trace());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void resumeRedeliversTheWordsReleasedButNotHeard() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    TurnResult result = finishWhilePaused(conversation, 2);

    conversation.resume();
    listener.awaitWords(0, Words.count(result.reply()));

    List<String> again = new ArrayList<>();
    for (ReplyWord word : listener.words(0)) {
      if (word.redelivered()) {
        again.add(word.text());
      }
    }
    List<String> opener = new ArrayList<>();
    for (OpenerWord word : cloud.received(OpenerWord.class)) {
      if (word.index() >= 2) {
        opener.add(word.text());
      }
    }
    assertEquals(opener, again);
  }

  @Test
  void punctuationArrivingDuringAPauseIsDeliveredOnResume() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    hear(conversation, turn, turn.awaitCommit().wordCount());
    conversation.pause();
    Agents.drainLoop(conversation);
    turn.answer(", especially", " at night.");
    TurnResult result = listener.awaitResult(0);

    conversation.resume();
    listener.awaitWords(0, Words.count(result.reply()));

    listener.assertSpliced(0, result);
  }

  @Test
  void bargeInDuringAPauseKeepsOnlyTheWordsHeard() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    turn.awaitCommit();
    hear(conversation, turn, 2);
    conversation.pause();
    Agents.drainLoop(conversation);
    turn.accept();
    turn.delta(" is a string");

    await(conversation.cancel());
    TurnResult result = listener.awaitResult(0);

    assertEquals(TurnStatus.CANCELLED, result.status());
    assertEquals(Words.prefix(turn.awaitCommit().text(), 2), result.reply());
    assertEquals("device done(CANCELLED)", listener.trace());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void aCancelRightAfterTheFinalTranscriptSpeaksNoWordOfIt() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);

    conversation.finalTranscript(QUESTION);
    await(conversation.cancel()); // the app's barge-in, before the loop has even seen the transcript

    TurnResult result = listener.awaitResult(0);
    assertEquals(TurnStatus.CANCELLED, result.status());
    assertEquals(List.of(), listener.words(0));
  }

  @Test
  void pauseStopsTheDeadline() throws Exception {
    Conversation conversation = agents.connect(Agents.hasty(), cloud, listener);
    say(conversation, QUESTION);
    conversation.pause(); // queued behind the final transcript, ahead of the deadline
    StubCloud.CloudTurn turn = cloud.nextTurn();
    turn.awaitCommit();
    Thread.sleep(500); // long past the deadline of an opener at 50 words a second

    // The turn ends while still paused: a resume before the answer reached the loop would start a
    // fresh deadline of a few words at 50 a second, and the test would race it.
    turn.answer(" is a string instrument.");
    TurnResult result = listener.awaitResult(0);
    conversation.resume();

    assertEquals(TurnStatus.COMPLETED, result.status());
    assertNull(result.metrics().fallback());
  }

  @Test
  void newUtteranceBargesIntoTheRunningReply() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = streamingReply(conversation, 3);
    int openerWords = turn.awaitCommit().wordCount();
    conversation.playbackProgress(openerWords + 1);
    cloud.onTurn(next -> next.answer(" is bigger."));

    TurnResult second = ask(conversation, "Wait, and a cello?");

    TurnResult first = listener.awaitResult(0);
    assertEquals(TurnStatus.CANCELLED, first.status());
    assertEquals(Words.prefix(turn.awaitCommit().text() + " is", openerWords + 1), first.reply());
    assertEquals(TurnStatus.COMPLETED, second.status());
    assertEquals("device cloud done(CANCELLED) device cloud done(COMPLETED)", listener.trace());
    listener.assertSpliced(1, second);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void questionTooLongForTheDeviceIsAnsweredByTheCloudAlone() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, "That is a long question.");

    TurnResult result = ask(conversation, TOO_LONG_FOR_THE_DEVICE);

    assertEquals(TurnStatus.COMPLETED, result.status());
    assertEquals("cloud done(COMPLETED)", listener.trace());
    assertEquals(List.of(AgentException.Kind.CONTEXT_TOO_LARGE), listener.errorKinds());
    assertEquals(0, cloud.turns().get(0).awaitCommit().wordCount());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void questionLongerThanTheCloudAcceptsIsAnsweredOnTheDevice() throws Exception {
    ProtocolLimits d = ProtocolLimits.defaults();
    cloud.announce(new ProtocolLimits(d.maxFrameBytes(), 12, d.maxHistoryItems(), d.maxOpenerWords(), d.maxWordChars(),
        d.maxEventsPerSecond(), d.pingIntervalMs(), d.idleTimeoutMs(), d.rewindAckTimeoutMs(), d.resumeWindowMs(), d.replayBufferEvents()));
    cloud.onTurn(turn -> turn.await(TurnCancel.class)); // the cloud never sees the question
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, "What does it mean to run?"); // 25 characters, the cloud takes 12

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals("the question is longer than the cloud accepts", result.metrics().fallback(), () -> listener.errors() + " " + result);
    assertEquals(List.of(AgentException.Kind.CONTEXT_TOO_LARGE), listener.errorKinds());
    assertTrue(listener.trace().startsWith("device"), listener.trace());
    listener.assertSpliced(0, result);
    assertEquals(CancelReason.CLIENT_ERROR, cloud.turns().get(0).await(TurnCancel.class).reason(), "the cloud's turn is called off");
  }

  @Test
  void finalTranscriptWithoutWordsIsRefused() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);

    assertThrows(IllegalArgumentException.class, () -> conversation.finalTranscript(" "));
  }

  @Test
  void utteranceWithoutWordsIsDroppedByCancel() throws Exception {
    cloud.onTurn(turn -> {}, turn -> turn.answer(" is a string instrument."));
    Conversation conversation = agents.connect(cloud, listener);
    conversation.partialTranscript("um");
    await(conversation.cancel());

    ask(conversation, QUESTION);

    assertEquals("done(CANCELLED) device cloud done(COMPLETED)", listener.trace());
    assertEquals(List.of(), listener.errors());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void historyStaysInStepOverTurnsWithoutBeingResent() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, " is the answer.");

    for (String question : List.of(QUESTION, "And a cello?", "Which is bigger?")) {
      ask(conversation, question);
      cloud.assertHistoriesAgree(conversation);
    }

    assertEquals(6, conversation.history().size());
    assertEquals(List.of(), cloud.received(ContextHistory.class));
  }

  @Test
  void historyGivenByTheAppReachesTheCloudWithTheFirstTurn() throws Exception {
    cloud.onTurn(turn -> turn.answer(" is the answer."));
    List<HistoryItem> earlier = List.of(new HistoryItem(Role.USER, "Hi."), new HistoryItem(Role.ASSISTANT, "Hello! How can I help?"));
    OvertureAgent agent = agents.build(Agents.patient().cloud(cloud.url(), null));
    Conversation conversation = agent.newConversation(listener, earlier);
    cloud.awaitConnected();

    ask(conversation, QUESTION);

    assertEquals(earlier, cloud.turns().get(0).context());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void closeEndsTheRunningTurnAndTheConnection() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    askStepwise(conversation, cloud, QUESTION).awaitCommit();

    conversation.close();

    assertEquals(TurnStatus.CANCELLED, listener.awaitResult(0).status());
    assertEquals("device done(CANCELLED)", listener.trace());
    cloud.awaitNoConnection();
  }

  @Test
  void closeCancelsTheCloudsTurn() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    turn.awaitCommit();

    conversation.close();

    assertEquals(CancelReason.USER_STOP, turn.await(TurnCancel.class).reason());
  }

  /**
   * The user asks {@link Agents#QUESTION}; the cloud accepts the opener and streams " is a string
   * instrument with four strings" without ending the turn. Returns once {@code cloudWords} of
   * those words reached the listener.
   */
  private StubCloud.CloudTurn streamingReply(Conversation conversation, int cloudWords) throws Exception {
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    turn.accept();
    turn.delta(" is a string instrument with four strings");
    listener.awaitWords(0, turn.awaitCommit().wordCount() + cloudWords);
    return turn;
  }

  /**
   * The user hears {@code heard} opener words (at most all), then the cloud asks to keep one and
   * repairs after the words the device kept. Checks the splice and the histories.
   */
  private TurnResult rewindToOneWordAfterHearing(int heard) throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    hear(conversation, turn, Math.min(heard, turn.awaitCommit().wordCount()));

    int kept = turn.rewind(1);
    turn.repair(kept);
    turn.delta(" Let me put that better: it is a string instrument.");
    turn.done();
    TurnResult result = listener.awaitResult(0);

    assertEquals(Words.prefix(turn.awaitCommit().text(), kept) + " Let me put that better: it is a string instrument.", result.reply());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
    return result;
  }

  /**
   * After a fallback the cloud holds only its own words of the reply; the next turn is answered
   * with the device's history: the turn brings it ({@code context.history}), or the cloud already
   * holds it (when the opener was the whole reply, the truncation to the words heard leaves the
   * cloud with exactly the device's reply).
   */
  private void assertNextTurnBringsTheDeviceHistory(Conversation conversation) throws Exception {
    List<HistoryItem> deviceHistory = conversation.history();
    ask(conversation, "And a cello?");
    assertEquals(deviceHistory, cloud.historyFor(1));
  }

  /**
   * A turn whose user heard {@code heard} opener words, then paused playback; the cloud's whole
   * continuation arrives during the pause. Returns the turn's result.
   */
  private TurnResult finishWhilePaused(Conversation conversation, int heard) throws Exception {
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    turn.awaitCommit();
    hear(conversation, turn, heard);
    conversation.pause();
    Agents.drainLoop(conversation);
    turn.answer(" is a string", " instrument.");
    return listener.awaitResult(0);
  }
}

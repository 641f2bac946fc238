package dev.overture.protocol.internal;

import static dev.overture.protocol.Events.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.Event;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.Role;
import dev.overture.protocol.SessionResumed;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.Words;
import dev.overture.protocol.session.SessionPhase;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ConversationTest {

  private final Conversation conversation = new Conversation(ProtocolLimits.defaults());

  private void apply(Event... events) throws ProtocolException {
    for (Event event : events) {
      conversation.apply(event);
    }
  }

  private ProtocolException rejected(Event event, ErrorCode code) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> conversation.apply(event));
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private void established() throws ProtocolException {
    apply(start(1), started(1));
  }

  /** An established session with turn {@code turn} committed to {@code words}. */
  private void committed(String turn, String... words) throws ProtocolException {
    apply(turnStart(2, turn), inputFinal(3, turn, "Question?"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      apply(word(4 + i, turn, i, words[i]));
      text.append(words[i]);
    }
    apply(commit(9, turn, words.length, text.toString()));
  }

  private void establishedAndCommitted() throws ProtocolException {
    established();
    committed("t1", "The", " capital", " is", " Sydney.");
  }

  // session phases

  @Test
  void sessionStartMovesANewSessionToStarting() throws Exception {
    assertEquals(SessionPhase.NEW, conversation.phase());
    apply(start(1));
    assertEquals(SessionPhase.STARTING, conversation.phase());
  }

  @Test
  void sessionStartWithoutASupportedVersionIsFatal() {
    SessionStart start = new SessionStart("c", 1, Collections.singletonList(2), CLIENT);
    assertTrue(rejected(start, ErrorCode.UNSUPPORTED_VERSION).fatal());
    assertEquals(SessionPhase.NEW, conversation.phase());
  }

  @Test
  void secondSessionStartIsOutOfOrder() throws Exception {
    established();
    assertFalse(rejected(start(2), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void turnEventBeforeSessionStartIsFatal() {
    assertTrue(rejected(turnStart(1, "t1"), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void pingBeforeSessionStartIsFatal() {
    assertTrue(rejected(ping("c-p"), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void resumingANewSessionIsFatalUnknownSession() {
    assertTrue(rejected(resume(0), ErrorCode.UNKNOWN_SESSION).fatal());
  }

  @Test
  void clientMayStreamTurnEventsBeforeSessionStarted() {
    assertDoesNotThrow(() -> apply(start(1), turnStart(2, "t1"), inputFinal(3, "t1", "Hi")));
  }

  @Test
  void serverTurnEventsNeedAnEstablishedSession() throws Exception {
    apply(start(1), turnStart(2, "t1"));
    assertTrue(rejected(done(1, "t1", DoneStatus.FAILED), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void sessionStartedEstablishesAndAdoptsItsLimitsAndHandle() throws Exception {
    ProtocolLimits limits =
        new ProtocolLimits(8192, 100, 4, 6, 32, 50, 1000, 3000, 500, 10_000, 64);
    apply(start(1), started(1, limits));
    assertEquals(SessionPhase.ESTABLISHED, conversation.phase());
    assertEquals(limits, conversation.limits());
    assertEquals("rh-1", conversation.resumeHandle());
    assertEquals("sess-1", conversation.sessionId());
  }

  @Test
  void sessionStartedWithAVersionNotOfferedIsFatal() throws Exception {
    apply(start(1));
    SessionStarted started =
        new SessionStarted("s", 1, 2, "sess-1", "rh-1", ProtocolLimits.defaults());
    assertTrue(rejected(started, ErrorCode.UNSUPPORTED_VERSION).fatal());
  }

  @Test
  void sessionStartedWithAnOfferedVersionThisSideDoesNotSpeakIsFatal() throws Exception {
    apply(new SessionStart("c", 1, Arrays.asList(2, 1), CLIENT));
    SessionStarted started =
        new SessionStarted("s", 1, 2, "sess-1", "rh-1", ProtocolLimits.defaults());
    ProtocolException e = rejected(started, ErrorCode.UNSUPPORTED_VERSION);
    assertTrue(e.fatal());
    assertTrue(e.getMessage().contains("speaks 1"), e.getMessage());
  }

  @Test
  void sessionStartedWithoutStartIsFatal() {
    assertTrue(rejected(started(1), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void connectionLostAfterStartMakesTheSessionResumable() throws Exception {
    established();
    conversation.connectionLost();
    assertEquals(SessionPhase.DISCONNECTED, conversation.phase());
  }

  @Test
  void connectionLostBeforeStartedClosesTheSession() throws Exception {
    apply(start(1));
    conversation.connectionLost();
    assertEquals(SessionPhase.CLOSED, conversation.phase());
  }

  @Test
  void resumeWithTheHandleMovesToResuming() throws Exception {
    established();
    conversation.connectionLost();
    apply(resume(1));
    assertEquals(SessionPhase.RESUMING, conversation.phase());
  }

  @Test
  void resumeWithAnotherHandleIsFatalUnknownSession() throws Exception {
    established();
    conversation.connectionLost();
    assertTrue(
        rejected(new dev.overture.protocol.SessionResume("c", 0, "rh-2", 1), ErrorCode.UNKNOWN_SESSION)
            .fatal());
  }

  @Test
  void resumeWhileConnectedIsOutOfOrder() throws Exception {
    established();
    assertFalse(rejected(resume(1), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void resumedEstablishesTheSessionAgain() throws Exception {
    established();
    conversation.connectionLost();
    apply(resume(1), resumed(1));
    assertEquals(SessionPhase.ESTABLISHED, conversation.phase());
  }

  @Test
  void resumedForAnotherSessionIsFatal() throws Exception {
    established();
    conversation.connectionLost();
    apply(resume(1));
    assertTrue(rejected(new SessionResumed("s", 0, "sess-2", 1), ErrorCode.UNKNOWN_SESSION).fatal());
  }

  @Test
  void resumedWithoutResumeIsOutOfOrder() throws Exception {
    established();
    rejected(resumed(1), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void turnEventsWhileResumingAreFatal() throws Exception {
    established();
    conversation.connectionLost();
    apply(resume(1));
    assertTrue(rejected(turnStart(2, "t1"), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void pongAnswersAnOutstandingPingOnce() throws Exception {
    established();
    apply(ping("c-p1"), pong("c-p1"));
    rejected(pong("c-p1"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void pongWithoutPingIsOutOfOrder() throws Exception {
    established();
    assertFalse(rejected(pong("c-p9"), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void connectionLossForgetsOutstandingPings() throws Exception {
    established();
    apply(ping("c-p1"));
    conversation.connectionLost();
    apply(resume(1), resumed(1));
    rejected(pong("c-p1"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void goAwayIsRecordedForTheConnection() throws Exception {
    established();
    apply(goAway());
    assertTrue(conversation.goAway());
    conversation.connectionLost();
    assertFalse(conversation.goAway());
  }

  @Test
  void fatalErrorClosesTheSession() throws Exception {
    established();
    apply(error(true));
    assertEquals(SessionPhase.CLOSED, conversation.phase());
  }

  @Test
  void nonFatalErrorChangesNothing() throws Exception {
    established();
    apply(error(false));
    assertEquals(SessionPhase.ESTABLISHED, conversation.phase());
  }

  @Test
  void closedSessionRejectsAllButErrors() throws Exception {
    established();
    conversation.close();
    assertTrue(rejected(turnStart(2, "t1"), ErrorCode.OUT_OF_ORDER).fatal());
    assertDoesNotThrow(() -> apply(error(true)));
  }

  @Test
  void unknownEventsAreIgnored() throws Exception {
    established();
    apply(new UnknownEvent("future.event", "x", 2));
    assertEquals(SessionPhase.ESTABLISHED, conversation.phase());
  }

  @Test
  void unknownEventsMayFollowSessionStartBeforeSessionStarted() {
    assertDoesNotThrow(() -> apply(start(1), new UnknownEvent("future.event", "x", 2)));
  }

  @Test
  void anUnknownEventCannotOpenAConnection() {
    assertTrue(rejected(new UnknownEvent("future.event", "x", 1), ErrorCode.OUT_OF_ORDER).fatal());
  }

  @Test
  void anUnknownEventBeforeSessionResumeIsFatal() throws Exception {
    established();
    conversation.connectionLost();
    assertTrue(rejected(new UnknownEvent("future.event", "x", 2), ErrorCode.OUT_OF_ORDER).fatal());
  }

  // turns, client side

  @Test
  void turnStartOpensTheCurrentTurn() throws Exception {
    established();
    assertNull(conversation.currentTurnId());
    apply(turnStart(2, "t1"));
    assertEquals("t1", conversation.currentTurnId());
  }

  @Test
  void turnIdsAreNeverReused() throws Exception {
    established();
    apply(turnStart(2, "t1"), cancel(3, "t1"));
    rejected(turnStart(4, "t1"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void turnStartWhileTheCurrentTurnRunsIsOutOfOrder() throws Exception {
    established();
    apply(turnStart(2, "t1"));
    rejected(turnStart(3, "t2"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void turnStartAfterCancelNeedsNoDone() throws Exception {
    established();
    apply(turnStart(2, "t1"), cancel(3, "t1"), turnStart(4, "t2"));
    assertEquals("t2", conversation.currentTurnId());
  }

  @Test
  void turnStartAfterDoneIsAllowed() throws Exception {
    established();
    apply(turnStart(2, "t1"), done(2, "t1", DoneStatus.FAILED), turnStart(3, "t2"));
    assertEquals("t2", conversation.currentTurnId());
  }

  @Test
  void eventOfAnUnknownTurnIsUnknownTurn() throws Exception {
    established();
    apply(turnStart(2, "t1"));
    rejected(inputFinal(3, "t9", "Hi"), ErrorCode.UNKNOWN_TURN);
  }

  @Test
  void clientEventOfAPreviousTurnIsOutOfOrder() throws Exception {
    established();
    apply(turnStart(2, "t1"), cancel(3, "t1"), turnStart(4, "t2"));
    rejected(inputFinal(5, "t1", "Hi"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void historyComesBeforeAnyTranscript() throws Exception {
    established();
    apply(turnStart(2, "t1"), partial(3, "t1", 1, "Do"));
    rejected(history(4, "t1"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void historyComesOnce() throws Exception {
    established();
    apply(turnStart(2, "t1"), history(3, "t1"));
    rejected(history(4, "t1"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void partialRevisionsCountUpByOne() throws Exception {
    established();
    apply(turnStart(2, "t1"), partial(3, "t1", 1, "Do"), partial(4, "t1", 2, "Do you"));
    rejected(partial(5, "t1", 4, "Do you like"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void partialAfterFinalIsOutOfOrder() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"));
    rejected(partial(4, "t1", 1, "Hi"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void finalComesOnce() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"));
    rejected(inputFinal(4, "t1", "Hi"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void historyAndFinalTextTogetherAreBoundedByTheContext() throws Exception {
    Conversation small =
        new Conversation(new ProtocolLimits(65_536, 10, 8, 12, 64, 200, 1, 1, 1, 1, 1));
    small.apply(start(1));
    small.apply(turnStart(2, "t1"));
    small.apply(history(3, "t1", new HistoryItem(Role.USER, "Hello")));
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> small.apply(inputFinal(4, "t1", "Hi there")));
    assertEquals(ErrorCode.CONTEXT_TOO_LARGE, e.code());
  }

  @Test
  void openerWordBeforeFinalIsOutOfOrder() throws Exception {
    established();
    apply(turnStart(2, "t1"));
    rejected(word(3, "t1", 0, "Sure,"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void openerWordIndexIsTheNextOne() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"), word(4, "t1", 0, "Sure,"));
    rejected(word(5, "t1", 2, " love"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void commitMayWithdrawTrailingStreamedWords() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"));
    apply(word(4, "t1", 0, "Sure,"), word(5, "t1", 1, " I"), word(6, "t1", 2, " lo"));
    apply(commit(7, "t1", 2, "Sure, I"), accept(2, "t1", 2));
    assertEquals("Sure, I", conversation.currentReply());
  }

  @Test
  void commitOfMoreWordsThanStreamedIsInvalid() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"), word(4, "t1", 0, "Sure,"));
    rejected(commit(5, "t1", 2, "Sure, I"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void commitTextIsTheStreamedWords() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"), word(4, "t1", 0, "Sure,"));
    rejected(commit(5, "t1", 1, "Yes,"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void openerAfterCommitIsOutOfOrder() throws Exception {
    established();
    committed("t1", "Sure,");
    rejected(word(10, "t1", 1, " I"), ErrorCode.OUT_OF_ORDER);
    rejected(commit(11, "t1", 1, "Sure,"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void inputAndOpenerAfterCancelAreOutOfOrder() throws Exception {
    established();
    apply(turnStart(2, "t1"), cancel(3, "t1"));
    rejected(inputFinal(4, "t1", "Hi"), ErrorCode.OUT_OF_ORDER);
    rejected(history(5, "t1"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void clientMayKeepStreamingATurnTheServerAlreadyFailed() throws Exception {
    established();
    apply(turnStart(2, "t1"), done(2, "t1", DoneStatus.FAILED));
    assertDoesNotThrow(
        () -> apply(inputFinal(3, "t1", "Hi"), word(4, "t1", 0, "Hi"), commit(5, "t1", 1, "Hi")));
  }

  @Test
  void cancelTwiceIsOutOfOrder() throws Exception {
    established();
    apply(turnStart(2, "t1"), cancel(3, "t1"));
    rejected(cancel(4, "t1"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void cancelAfterDoneIsAccepted() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED));
    assertDoesNotThrow(() -> apply(cancel(10, "t1")));
  }

  // verdicts, server side

  @Test
  void verdictNeedsTheCommit() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"));
    rejected(accept(2, "t1", 0), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void acceptRepeatsTheCommittedCount() throws Exception {
    establishedAndCommitted();
    rejected(accept(2, "t1", 3), ErrorCode.INVALID_EVENT);
  }

  @Test
  void verdictComesOnce() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4));
    rejected(rewind(3, "t1", 3), ErrorCode.OUT_OF_ORDER);
    rejected(repair(3, "t1", 4), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void rewindKeepsFewerWordsThanCommitted() throws Exception {
    establishedAndCommitted();
    rejected(rewind(2, "t1", 4), ErrorCode.INVALID_EVENT);
  }

  @Test
  void ackWithoutRewindIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    rejected(ack(10, "t1", 3), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void ackKeepsBetweenTheRequestAndTheCommit() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 2));
    rejected(ack(10, "t1", 1), ErrorCode.INVALID_EVENT);
    rejected(ack(10, "t1", 5), ErrorCode.INVALID_EVENT);
  }

  @Test
  void ackCannotDropWordsAlreadyHeard() throws Exception {
    establishedAndCommitted();
    apply(progress(10, "t1", 3), rewind(2, "t1", 2));
    rejected(ack(11, "t1", 2), ErrorCode.INVALID_EVENT);
  }

  @Test
  void ackAfterCancelIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 2), cancel(10, "t1"));
    rejected(ack(11, "t1", 2), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void exactRewindAnchorsTheContinuationAfterTheKeptWords() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 3), ack(10, "t1", 3), delta(3, "t1", " Canberra."));
    assertEquals("The capital is Canberra.", conversation.currentReply());
  }

  @Test
  void lateRewindNeedsARepairBeforeAnyDelta() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 3), ack(10, "t1", 4));
    rejected(delta(3, "t1", " Canberra."), ErrorCode.OUT_OF_ORDER);
    rejected(repair(3, "t1", 3), ErrorCode.INVALID_EVENT);
    apply(repair(3, "t1", 4), delta(4, "t1", " Sorry, Canberra."));
    assertEquals("The capital is Sydney. Sorry, Canberra.", conversation.currentReply());
  }

  @Test
  void repairAfterAnExactRewindIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 3), ack(10, "t1", 3));
    rejected(repair(3, "t1", 3), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void directRepairFollowsEveryCommittedWord() throws Exception {
    establishedAndCommitted();
    rejected(repair(2, "t1", 3), ErrorCode.INVALID_EVENT);
    apply(repair(2, "t1", 4));
  }

  @Test
  void deltaBeforeTheVerdictIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    rejected(delta(2, "t1", " x"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void deltasInFlightAfterCancelAreAccepted() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), cancel(10, "t1"));
    assertDoesNotThrow(() -> apply(delta(3, "t1", " No,"), done(4, "t1", DoneStatus.CANCELLED)));
  }

  @Test
  void deltaAfterDoneIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED));
    rejected(delta(4, "t1", " x"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void completedNeedsASettledOpener() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 3));
    rejected(done(3, "t1", DoneStatus.COMPLETED), ErrorCode.OUT_OF_ORDER);
    rejected(done(3, "t1", DoneStatus.TRUNCATED), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void cancelledNeedsACancel() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4));
    rejected(done(3, "t1", DoneStatus.CANCELLED), ErrorCode.INVALID_EVENT);
  }

  @Test
  void failedMayEndATurnAtAnyPoint() throws Exception {
    established();
    apply(turnStart(2, "t1"));
    assertDoesNotThrow(() -> apply(done(1, "t1", DoneStatus.FAILED)));
  }

  @Test
  void doneComesOnce() throws Exception {
    established();
    apply(turnStart(2, "t1"), done(1, "t1", DoneStatus.FAILED));
    rejected(done(2, "t1", DoneStatus.FAILED), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void lateAckAfterATimeoutFailureIsAccepted() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 3), done(3, "t1", DoneStatus.FAILED));
    assertDoesNotThrow(() -> apply(ack(10, "t1", 3)));
  }

  @Test
  void ackAfterTruncateIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 1), done(3, "t1", DoneStatus.FAILED), truncate(10, "t1", 4));
    rejected(ack(11, "t1", 3), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void oneShotSessionCannotRewind() throws Exception {
    establishedAndCommitted();
    conversation.markOneShot();
    rejected(rewind(2, "t1", 3), ErrorCode.OUT_OF_ORDER);
  }

  // playback and truncation

  @Test
  void progressNeedsTheCommit() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"));
    rejected(progress(4, "t1", 0), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void progressNeverDecreases() throws Exception {
    establishedAndCommitted();
    apply(progress(10, "t1", 3));
    rejected(progress(11, "t1", 2), ErrorCode.INVALID_EVENT);
  }

  @Test
  void progressCannotPassTheWordsReceived() throws Exception {
    establishedAndCommitted();
    rejected(progress(10, "t1", 5), ErrorCode.INVALID_EVENT);
    apply(accept(2, "t1", 4), delta(3, "t1", " Well,"));
    apply(progress(10, "t1", 5));
  }

  @Test
  void truncateNeedsDoneOrCancel() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4));
    rejected(truncate(10, "t1", 2), ErrorCode.OUT_OF_ORDER);
    apply(cancel(11, "t1"), truncate(12, "t1", 2));
  }

  @Test
  void truncateComesOnce() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED), truncate(10, "t1", 2));
    rejected(truncate(11, "t1", 2), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void truncateCannotUnhearReportedWords() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED), progress(10, "t1", 3));
    rejected(truncate(11, "t1", 2), ErrorCode.INVALID_EVENT);
  }

  @Test
  void progressAfterTruncateIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED), truncate(10, "t1", 2));
    rejected(progress(11, "t1", 3), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void truncatedConfirmsTheReplyCutToTheHeardWords() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), delta(3, "t1", " Oh no."), done(4, "t1", DoneStatus.COMPLETED));
    apply(truncate(10, "t1", 5));
    rejected(truncated(5, "t1", 5, "The capital is Canberra. Oh"), ErrorCode.INVALID_EVENT);
    rejected(truncated(5, "t1", 4, "The capital is Sydney."), ErrorCode.INVALID_EVENT);
    apply(truncated(5, "t1", 5, "The capital is Sydney. Oh"));
  }

  @Test
  void truncatedWaitsForTheDone() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), cancel(10, "t1"), truncate(11, "t1", 2));
    rejected(truncated(3, "t1", 2, "The capital"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void truncatedWithoutTruncateIsOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED));
    rejected(truncated(4, "t1", 2, "The capital"), ErrorCode.OUT_OF_ORDER);
  }

  @Test
  void truncationAfterAnUnansweredRewindKeepsEveryCommittedWord() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 1), done(3, "t1", DoneStatus.FAILED), truncate(10, "t1", 4));
    apply(truncated(4, "t1", 4, "The capital is Sydney."));
  }

  // several turns

  @Test
  void serverFinishesTheOlderTurnBeforeAnsweringTheNext() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), cancel(10, "t1"), turnStart(11, "t2"));
    rejected(done(3, "t2", DoneStatus.FAILED), ErrorCode.OUT_OF_ORDER);
    apply(delta(3, "t1", " in"), done(4, "t1", DoneStatus.CANCELLED), done(5, "t2", DoneStatus.FAILED));
  }

  @Test
  void truncatedOfTheOlderTurnComesBeforeTheNextTurnsEvents() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), cancel(10, "t1"), truncate(11, "t1", 2), turnStart(12, "t2"));
    apply(done(3, "t1", DoneStatus.CANCELLED));
    rejected(done(4, "t2", DoneStatus.FAILED), ErrorCode.OUT_OF_ORDER);
    apply(truncated(4, "t1", 2, "The capital"), done(5, "t2", DoneStatus.FAILED));
  }

  @Test
  void serverEventsOfAFinishedTurnAreOutOfOrder() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), done(3, "t1", DoneStatus.COMPLETED), turnStart(10, "t2"));
    rejected(delta(4, "t1", " x"), ErrorCode.OUT_OF_ORDER);
    rejected(delta(4, "t9", " x"), ErrorCode.UNKNOWN_TURN);
  }

  @Test
  void replyOfAnOlderTurnIsKeptWhileTheServerOwesIt() throws Exception {
    establishedAndCommitted();
    apply(accept(2, "t1", 4), delta(3, "t1", " Oh."), cancel(10, "t1"), truncate(11, "t1", 5));
    apply(turnStart(12, "t2"));
    assertEquals("The capital is Sydney. Oh.", conversation.reply("t1"));
    assertEquals("", conversation.reply("t2"));
    apply(done(4, "t1", DoneStatus.CANCELLED), truncated(5, "t1", 5, "The capital is Sydney. Oh."));
    assertNull(conversation.reply("t1"));
  }

  @Test
  void currentReplyIsEmptyBeforeTheCommit() throws Exception {
    established();
    apply(turnStart(2, "t1"), inputFinal(3, "t1", "Hi"), word(4, "t1", 0, "Sure,"));
    assertEquals("", conversation.currentReply());
  }

  @Test
  void rejectedEventsChangeNothing() throws Exception {
    establishedAndCommitted();
    apply(rewind(2, "t1", 2));
    rejected(ack(10, "t1", 9), ErrorCode.INVALID_EVENT);
    apply(ack(11, "t1", 2), delta(3, "t1", " of"));
    assertEquals("The capital of", conversation.currentReply());
  }

  /**
   * A random walk over plausible events (mostly the next valid one, often a wrong one): whatever
   * the order, the rules answer with a {@link ProtocolException} or accept, and never throw
   * anything else.
   */
  @Test
  void randomEventSequencesOnlyEverFailWithProtocolExceptions() throws Exception {
    java.util.Random random = new java.util.Random(20261122L);
    for (int run = 0; run < 1_000; run++) {
      Conversation c = new Conversation(ProtocolLimits.defaults());
      c.apply(start(1));
      c.apply(started(1));
      java.util.List<String> words = new java.util.ArrayList<>();
      int turns = 0;
      for (int step = 0; step < 60; step++) {
        String turn = random.nextInt(10) == 0 ? "t" + random.nextInt(turns + 1) : "t" + turns;
        int n = random.nextInt(4) == 0 ? random.nextInt(7) - 1 : words.size();
        int small = random.nextInt(Math.max(1, words.size() + 2));
        String reply = c.currentReply();
        Event event;
        switch (random.nextInt(22)) {
          case 0:
            turns++;
            words.clear();
            event = turnStart(1, "t" + turns);
            break;
          case 1: event = ping("p" + small); break;
          case 2: event = pong("p" + small); break;
          case 3: event = history(1, turn, new HistoryItem(Role.USER, "Hi")); break;
          case 4: event = partial(1, turn, small, "Hi"); break;
          case 5: event = inputFinal(1, turn, "Hi?"); break;
          case 6:
            event = word(1, turn, n, n == 0 ? "Hi" : " w" + n);
            if (n == words.size()) {
              words.add(n == 0 ? "Hi" : " w" + n);
            }
            break;
          case 7:
            int count = Math.min(small, words.size());
            event = commit(1, turn, count, String.join("", words.subList(0, count)));
            break;
          case 8: event = ack(1, turn, small); break;
          case 9: event = progress(1, turn, small); break;
          case 10: event = cancel(1, turn); break;
          case 11: event = truncate(1, turn, Math.min(small, Words.count(reply))); break;
          case 12: event = accept(1, turn, n); break;
          case 13: event = rewind(1, turn, small); break;
          case 14: event = repair(1, turn, small); break;
          case 15: event = delta(1, turn, random.nextBoolean() ? " more" : "s"); break;
          case 16: event = done(1, turn, DoneStatus.values()[random.nextInt(4)]); break;
          case 17:
            int heard = Math.min(small, Words.count(reply));
            event = truncated(1, turn, heard, Words.prefix(reply, heard));
            break;
          case 18: event = error(random.nextInt(20) == 0); break;
          case 19: event = resume(1); break;
          case 20: event = resumed(1); break;
          default:
            c.connectionLost();
            continue;
        }
        try {
          c.apply(event);
        } catch (ProtocolException expected) {
          // the only failure the rules may produce
        }
      }
    }
  }
}

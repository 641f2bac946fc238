package dev.overture.protocol.internal;

import static dev.overture.protocol.Events.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.CancelReason;
import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.ContinueOptions;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.Event;
import dev.overture.protocol.Failure;
import dev.overture.protocol.GoAway;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Ping;
import dev.overture.protocol.Pong;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.Role;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionResumed;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.TurnStart;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.Usage;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

  private static final ProtocolLimits LIMITS = ProtocolLimits.defaults();

  /** Defaults with a small context and opener, for limit rules. */
  private static final ProtocolLimits SMALL =
      new ProtocolLimits(65_536, 10, 2, 3, 8, 200, 15_000, 45_000, 1_000, 60_000, 1_024);

  private static ProtocolException rejected(Event event, ErrorCode code) {
    return rejected(event, LIMITS, code);
  }

  private static ProtocolException rejected(Event event, ProtocolLimits limits, ErrorCode code) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> EventValidator.validate(event, limits));
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private static void accepted(Event event) {
    assertDoesNotThrow(() -> EventValidator.validate(event, LIMITS));
  }

  private static ProtocolException rejected(ContinueRequest request, ProtocolLimits limits, ErrorCode code) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> EventValidator.validate(request, limits));
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  // envelope

  @Test
  void numberedEventNeedsSeqOfAtLeastOneAndIsFatalOtherwise() {
    ProtocolException e = rejected(turnStart(0, "t1"), ErrorCode.INVALID_EVENT);
    assertTrue(e.fatal());
    assertFalse(e.rejectedSeq().isPresent());
    assertEquals("c-0", e.inReplyTo());
  }

  @Test
  void seqAboveTwoToTheFiftyThirdIsFatal() {
    accepted(turnStart(EventValidator.MAX_SEQ, "t1"));
    assertTrue(rejected(turnStart(EventValidator.MAX_SEQ + 1, "t1"), ErrorCode.INVALID_EVENT).fatal());
  }

  @Test
  void connectionEventNeedsSeqZeroAndIsNotFatalOtherwise() {
    ProtocolException e = rejected(new Ping("c-p", 4), ErrorCode.INVALID_EVENT);
    assertFalse(e.fatal());
    assertFalse(e.rejectedSeq().isPresent(), "nothing to consume");
  }

  @Test
  void invalidEventIdIsNotFatalButUnnamed() {
    ProtocolException e = rejected(new TurnStart("c 1", 2, "t1"), ErrorCode.INVALID_EVENT);
    assertFalse(e.fatal());
    assertNull(e.inReplyTo());
    assertEquals(2, e.rejectedSeq().getAsLong());
  }

  @Test
  void eventIdIsAtMostSixtyFourCharactersOfTheIdAlphabet() {
    assertTrue(EventValidator.isId("c-1._:A9"));
    assertTrue(EventValidator.isId("a".repeat(64)));
    assertFalse(EventValidator.isId("a".repeat(65)));
    assertFalse(EventValidator.isId(""));
    assertFalse(EventValidator.isId("c/1"));
    assertFalse(EventValidator.isId(null));
  }

  @Test
  void fieldFailureNamesTheEventAndKeepsTheSession() {
    ProtocolException e = rejected(inputFinal(5, "t1", " "), ErrorCode.INVALID_EVENT);
    assertFalse(e.fatal());
    assertEquals("c-5", e.inReplyTo());
    assertEquals(5, e.rejectedSeq().getAsLong());
    assertTrue(e.getMessage().startsWith("input.final.text:"), e.getMessage());
  }

  @Test
  void unknownEventNeedsAType() {
    assertTrue(rejected(new UnknownEvent(null, "x", 3), ErrorCode.INVALID_EVENT).fatal());
  }

  @Test
  void unknownEventMayHaveSeqZero() {
    accepted(new UnknownEvent("future.event", "x", 0));
  }

  @Test
  void turnIdMustBeAnId() {
    rejected(turnStart(2, "t 1"), ErrorCode.INVALID_EVENT);
    rejected(turnStart(2, null), ErrorCode.INVALID_EVENT);
  }

  // session events

  @Test
  void sessionStartIsValid() {
    accepted(start(1));
  }

  @Test
  void sessionStartNeedsOneToSixteenVersions() {
    rejected(new SessionStart("c", 1, Collections.emptyList(), CLIENT), ErrorCode.INVALID_EVENT);
    Integer[] seventeen = new Integer[17];
    for (int i = 0; i < seventeen.length; i++) {
      seventeen[i] = i + 1;
    }
    rejected(new SessionStart("c", 1, Arrays.asList(seventeen), CLIENT), ErrorCode.INVALID_EVENT);
  }

  @Test
  void sessionStartVersionsArePositiveAndDistinct() {
    rejected(new SessionStart("c", 1, Arrays.asList(1, 0), CLIENT), ErrorCode.INVALID_EVENT);
    rejected(new SessionStart("c", 1, Arrays.asList(1, null), CLIENT), ErrorCode.INVALID_EVENT);
    rejected(new SessionStart("c", 1, Arrays.asList(1, 1), CLIENT), ErrorCode.INVALID_EVENT);
  }

  @Test
  void sessionStartNeedsClientNameAndVersion() {
    rejected(new SessionStart("c", 1, Arrays.asList(1), null), ErrorCode.INVALID_EVENT);
    rejected(startWith(new ClientInfo("", "1", null, null)), ErrorCode.INVALID_EVENT);
    rejected(startWith(new ClientInfo("app", "", null, null)), ErrorCode.INVALID_EVENT);
    rejected(startWith(new ClientInfo("a".repeat(65), "1", null, null)), ErrorCode.INVALID_EVENT);
  }

  @Test
  void sessionStartClientOptionalFieldsAreBounded() {
    accepted(startWith(new ClientInfo("app", "1", "android-34", "m".repeat(128))));
    rejected(startWith(new ClientInfo("app", "1", "p".repeat(65), null)), ErrorCode.INVALID_EVENT);
    rejected(startWith(new ClientInfo("app", "1", null, "m".repeat(129))), ErrorCode.INVALID_EVENT);
  }

  private static SessionStart startWith(ClientInfo client) {
    return new SessionStart("c", 1, Collections.singletonList(1), client);
  }

  @Test
  void resumeNeedsAHandleAndASeq() {
    accepted(new SessionResume("c", 0, "rh-AZ09._:~+/=", 0));
    rejected(new SessionResume("c", 0, "rh 1", 0), ErrorCode.INVALID_EVENT);
    rejected(new SessionResume("c", 0, "r".repeat(257), 0), ErrorCode.INVALID_EVENT);
    rejected(new SessionResume("c", 0, "rh-1", -1), ErrorCode.INVALID_EVENT);
  }

  @Test
  void sessionStartedIsValid() {
    accepted(started(1));
  }

  @Test
  void sessionStartedNeedsVersionIdsAndLimits() {
    rejected(new SessionStarted("s", 1, 0, "sess", "rh", LIMITS), ErrorCode.INVALID_EVENT);
    rejected(new SessionStarted("s", 1, 1, "se ss", "rh", LIMITS), ErrorCode.INVALID_EVENT);
    rejected(new SessionStarted("s", 1, 1, "sess", "", LIMITS), ErrorCode.INVALID_EVENT);
    rejected(new SessionStarted("s", 1, 1, "sess", "rh", null), ErrorCode.INVALID_EVENT);
  }

  @Test
  void sessionStartedLimitsAllowAtLeastTheMinimumFrame() {
    ProtocolLimits tiny = new ProtocolLimits(4095, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    rejected(started(1, tiny), ErrorCode.INVALID_EVENT);
    accepted(started(1, new ProtocolLimits(4096, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
  }

  @Test
  void sessionStartedLimitsArePositive() {
    rejected(
        started(1, new ProtocolLimits(65_536, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)), ErrorCode.INVALID_EVENT);
  }

  @Test
  void sessionResumedNeedsSessionIdAndSeq() {
    accepted(resumed(3));
    rejected(new SessionResumed("s", 0, "", 3), ErrorCode.INVALID_EVENT);
    rejected(new SessionResumed("s", 0, "sess", -1), ErrorCode.INVALID_EVENT);
  }

  @Test
  void pongNamesAPing() {
    accepted(pong("c-p1"));
    rejected(new Pong("s", 0, null), ErrorCode.INVALID_EVENT);
  }

  @Test
  void goAwayTimeIsNotNegativeAndReasonIsBounded() {
    accepted(new GoAway("s", 0, 0, "deploying"));
    rejected(new GoAway("s", 0, -1, null), ErrorCode.INVALID_EVENT);
    rejected(new GoAway("s", 0, 1, "r".repeat(1025)), ErrorCode.INVALID_EVENT);
  }

  @Test
  void errorNeedsCodeAndBoundedMessage() {
    accepted(new ErrorEvent("e", 0, ErrorCode.INTERNAL, "m".repeat(1024), false, "c-1"));
    rejected(new ErrorEvent("e", 0, null, "m", false, null), ErrorCode.INVALID_EVENT);
    rejected(new ErrorEvent("e", 0, ErrorCode.INTERNAL, null, false, null), ErrorCode.INVALID_EVENT);
    rejected(
        new ErrorEvent("e", 0, ErrorCode.INTERNAL, "m".repeat(1025), false, null),
        ErrorCode.INVALID_EVENT);
  }

  @Test
  void errorInReplyToIsAnId() {
    rejected(new ErrorEvent("e", 0, ErrorCode.INTERNAL, "m", false, "c 1"), ErrorCode.INVALID_EVENT);
  }

  // context

  @Test
  void historyItemsNeedRoleAndText() {
    accepted(history(3, "t1", new HistoryItem(Role.USER, "Hi")));
    rejected(history(3, "t1", new HistoryItem(null, "Hi")), ErrorCode.INVALID_EVENT);
    rejected(history(3, "t1", new HistoryItem(Role.USER, null)), ErrorCode.INVALID_EVENT);
    rejected(history(3, "t1", (HistoryItem) null), ErrorCode.INVALID_EVENT);
  }

  @Test
  void historyIsBoundedByItemsAndCharacters() {
    HistoryItem hi = new HistoryItem(Role.USER, "Hi");
    rejected(history(3, "t1", hi, hi, hi), SMALL, ErrorCode.CONTEXT_TOO_LARGE);
    rejected(history(3, "t1", new HistoryItem(Role.USER, "Hello there")), SMALL, ErrorCode.CONTEXT_TOO_LARGE);
  }

  @Test
  void historyTextIsWellFormedUnicode() {
    rejected(history(3, "t1", new HistoryItem(Role.USER, "a\ud800")), ErrorCode.INVALID_EVENT);
  }

  @Test
  void partialRevisionStartsAtOne() {
    accepted(partial(4, "t1", 1, ""));
    rejected(partial(4, "t1", 0, "Do"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void partialIsBoundedByTheContext() {
    rejected(partial(4, "t1", 1, "Do you like music"), SMALL, ErrorCode.CONTEXT_TOO_LARGE);
  }

  @Test
  void finalTextHoldsAWord() {
    rejected(inputFinal(5, "t1", ""), ErrorCode.INVALID_EVENT);
    rejected(inputFinal(5, "t1", " \n"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void finalTextIsBoundedByTheContextInCodePoints() {
    assertDoesNotThrow(() -> EventValidator.validate(inputFinal(5, "t1", "😀".repeat(10)), SMALL));
    rejected(inputFinal(5, "t1", "😀".repeat(11)), SMALL, ErrorCode.CONTEXT_TOO_LARGE);
  }

  // opener

  @Test
  void openerWordFollowsTheWordConvention() {
    accepted(word(6, "t1", 0, "Sure,"));
    accepted(word(7, "t1", 1, " love"));
    rejected(word(6, "t1", 0, " Sure,"), ErrorCode.INVALID_EVENT);
    rejected(word(7, "t1", 1, "love"), ErrorCode.INVALID_EVENT);
    rejected(word(7, "t1", 1, " I love"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void openerWordIndexIsNotNegative() {
    rejected(word(7, "t1", -1, " a"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void openerWordIndexBeyondTheLimitIsOpenerTooLong() {
    accepted(word(7, "t1", 11, " a"));
    rejected(word(7, "t1", 12, " a"), ErrorCode.OPENER_TOO_LONG);
  }

  @Test
  void openerWordIsBoundedByMaxWordChars() {
    accepted(word(7, "t1", 1, " " + "a".repeat(63)));
    rejected(word(7, "t1", 1, " " + "a".repeat(64)), ErrorCode.INVALID_EVENT);
  }

  @Test
  void commitTextHoldsWordCountWords() {
    accepted(commit(8, "t1", 2, "Sure, I"));
    accepted(commit(8, "t1", 0, ""));
    rejected(commit(8, "t1", 3, "Sure, I"), ErrorCode.INVALID_EVENT);
  }

  @Test
  void commitTextHasNoOuterSeparators() {
    rejected(commit(8, "t1", 2, " Sure, I"), ErrorCode.INVALID_EVENT);
    rejected(commit(8, "t1", 2, "Sure, I "), ErrorCode.INVALID_EVENT);
  }

  @Test
  void commitBeyondTheLimitIsOpenerTooLong() {
    rejected(commit(8, "t1", 4, "a b c d"), SMALL, ErrorCode.OPENER_TOO_LONG);
    rejected(commit(8, "t1", -1, ""), ErrorCode.INVALID_EVENT);
  }

  @Test
  void verdictCountsAreBounded() {
    accepted(accept(2, "t1", 12));
    rejected(accept(2, "t1", 13), ErrorCode.OPENER_TOO_LONG);
    rejected(repair(2, "t1", -1), ErrorCode.INVALID_EVENT);
    rejected(ack(9, "t1", 13), ErrorCode.OPENER_TOO_LONG);
  }

  @Test
  void rewindKeepsFewerThanTheMaximum() {
    accepted(rewind(2, "t1", 0));
    rejected(rewind(2, "t1", -1), ErrorCode.INVALID_EVENT);
    rejected(rewind(2, "t1", 12), ErrorCode.INVALID_EVENT);
  }

  // continuation

  @Test
  void deltaIsNotEmpty() {
    accepted(delta(3, "t1", ","));
    rejected(delta(3, "t1", ""), ErrorCode.INVALID_EVENT);
  }

  @Test
  void doneNeedsStatusAndUsage() {
    rejected(new ContinuationDone("s", 9, "t1", null, USAGE, null), ErrorCode.INVALID_EVENT);
    rejected(new ContinuationDone("s", 9, "t1", DoneStatus.COMPLETED, null, null), ErrorCode.INVALID_EVENT);
  }

  @Test
  void usageCountsAreConsistent() {
    rejected(doneWith(new Usage(-1, 0, 0)), ErrorCode.INVALID_EVENT);
    rejected(doneWith(new Usage(1, 0, -1)), ErrorCode.INVALID_EVENT);
    rejected(doneWith(new Usage(1, 2, 0)), ErrorCode.INVALID_EVENT);
    accepted(doneWith(new Usage(2, 2, 0)));
  }

  private static ContinuationDone doneWith(Usage usage) {
    return new ContinuationDone("s", 9, "t1", DoneStatus.COMPLETED, usage, null);
  }

  @Test
  void failureIsPresentExactlyWhenFailed() {
    accepted(done(9, "t1", DoneStatus.FAILED));
    rejected(
        new ContinuationDone("s", 9, "t1", DoneStatus.FAILED, USAGE, null), ErrorCode.INVALID_EVENT);
    rejected(
        new ContinuationDone(
            "s", 9, "t1", DoneStatus.COMPLETED, USAGE, new Failure(ErrorCode.INTERNAL, "x")),
        ErrorCode.INVALID_EVENT);
  }

  @Test
  void failureNeedsCodeAndMessage() {
    rejected(
        new ContinuationDone("s", 9, "t1", DoneStatus.FAILED, USAGE, new Failure(null, "x")),
        ErrorCode.INVALID_EVENT);
    rejected(
        new ContinuationDone(
            "s", 9, "t1", DoneStatus.FAILED, USAGE, new Failure(ErrorCode.INTERNAL, null)),
        ErrorCode.INVALID_EVENT);
  }

  // playback

  @Test
  void heardCountsAreNotNegative() {
    accepted(progress(10, "t1", 0));
    rejected(progress(10, "t1", -1), ErrorCode.INVALID_EVENT);
    rejected(truncate(10, "t1", -1), ErrorCode.INVALID_EVENT);
  }

  @Test
  void cancelNeedsAReason() {
    accepted(new TurnCancel("c", 11, "t1", CancelReason.USER_STOP));
    rejected(new TurnCancel("c", 11, "t1", null), ErrorCode.INVALID_EVENT);
  }

  @Test
  void truncatedTextHoldsWordsHeardWords() {
    accepted(truncated(10, "t1", 2, "Sure, I"));
    accepted(truncated(10, "t1", 0, ""));
    rejected(truncated(10, "t1", 3, "Sure, I"), ErrorCode.INVALID_EVENT);
  }

  // one-shot request

  @Test
  void continueRequestIsValid() {
    assertDoesNotThrow(
        () -> EventValidator.validate(continueRequest("Sure,", " I", " love"), LIMITS));
  }

  @Test
  void continueRequestFailuresAreNeverFatalAndNameNoEvent() {
    ProtocolException e =
        rejected(continueRequest("Sure,", "I"), LIMITS, ErrorCode.INVALID_EVENT);
    assertFalse(e.fatal());
    assertNull(e.inReplyTo());
  }

  @Test
  void continueRequestOpenerIsBounded() {
    ProtocolLimits threeWords =
        new ProtocolLimits(65_536, 16_384, 64, 3, 64, 200, 15_000, 45_000, 1_000, 60_000, 1_024);
    rejected(continueRequest("a", " b", " c", " d"), threeWords, ErrorCode.OPENER_TOO_LONG);
  }

  @Test
  void continueRequestContextIsBoundedInTotal() {
    ContinueRequest request =
        new ContinueRequest(
            1,
            "t1",
            Collections.singletonList(new HistoryItem(Role.USER, "Hello")),
            "Hi there",
            Collections.emptyList(),
            null,
            null);
    rejected(request, SMALL, ErrorCode.CONTEXT_TOO_LARGE);
  }

  @Test
  void continueRequestMaxOutputTokensIsPositive() {
    ContinueRequest request =
        new ContinueRequest(
            1, "t1", Collections.emptyList(), "Hi", Collections.emptyList(), null, new ContinueOptions(0));
    rejected(request, LIMITS, ErrorCode.INVALID_EVENT);
  }

  @Test
  void continueRequestNeedsVersionTurnAndLists() {
    rejected(
        new ContinueRequest(0, "t1", Collections.emptyList(), "Hi", Collections.emptyList(), null, null),
        LIMITS,
        ErrorCode.INVALID_EVENT);
    rejected(
        new ContinueRequest(1, "t1", null, "Hi", Collections.emptyList(), null, null),
        LIMITS,
        ErrorCode.INVALID_EVENT);
    rejected(
        new ContinueRequest(1, "t1", Collections.emptyList(), "Hi", null, null, null),
        LIMITS,
        ErrorCode.INVALID_EVENT);
  }

  @Test
  void everyDefaultLimitPassesTheSessionStartedRules() {
    accepted(started(1, ProtocolLimits.defaults()));
  }
}

package dev.overture.protocol.session;

import static dev.overture.protocol.Events.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.codec.RecordingBinding;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CloudSessionTest {

  private final EventCodec codec = new EventCodec(new RecordingBinding());
  private final CloudSession cloud = new CloudSession(codec);

  /** A frame as the device would send it, without the device's state machine. */
  private String frame(ClientEvent event) throws ProtocolException {
    return codec.encode(event);
  }

  private ProtocolException rejected(ErrorCode code, ClientEvent event) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> cloud.receive(frame(event)));
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private void started(ProtocolLimits limits) throws ProtocolException {
    cloud.receive(frame(start(1)));
    cloud.send(dev.overture.protocol.Events.started(1, limits));
  }

  @Test
  void framesUpToTheDefaultSizeAreAcceptedAfterAStricterAnnouncement() throws Exception {
    ProtocolLimits defaults = ProtocolLimits.defaults();
    ProtocolLimits strict =
        new ProtocolLimits(4096, defaults.maxContextChars(), defaults.maxHistoryItems(),
            defaults.maxOpenerWords(), defaults.maxWordChars(), defaults.maxEventsPerSecond(),
            defaults.pingIntervalMs(), defaults.idleTimeoutMs(), defaults.rewindAckTimeoutMs(),
            defaults.resumeWindowMs(), defaults.replayBufferEvents());
    started(strict);
    cloud.receive(frame(turnStart(2, "t1")));
    // Pipelined under the defaults: over the announced 4,096 bytes, within the default 65,536.
    cloud.receive(frame(partial(3, "t1", 1, "Hi")) + " ".repeat(10_000));
    assertEquals(SessionPhase.ESTABLISHED, cloud.phase());

    String tooLarge = frame(partial(4, "t1", 2, "Hi there")) + " ".repeat(defaults.maxFrameBytes());
    ProtocolException e = assertThrows(ProtocolException.class, () -> cloud.receive(tooLarge));
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code(), e.getMessage());
  }

  @Test
  void firstFrameMustStartOrResumeASession() {
    assertTrue(rejected(ErrorCode.OUT_OF_ORDER, ping("c-p1")).fatal());
    assertEquals(SessionPhase.CLOSED, cloud.phase());
  }

  @Test
  void aFirstFrameBrokenInItsFieldsIsAFatalOutOfOrder() throws Exception {
    // Written past the codec's checks: an input.final without its text, as a careless client sends.
    String frame = codec.binding().write(new dev.overture.protocol.InputFinal("c-1", 1, "t1", null));
    ProtocolException e = assertThrows(ProtocolException.class, () -> cloud.receive(frame));
    assertEquals(ErrorCode.OUT_OF_ORDER, e.code(), e.getMessage());
    assertTrue(e.fatal());
    assertEquals(SessionPhase.CLOSED, cloud.phase());
  }

  @Test
  void aFirstFrameOfAnUnknownTypeIsAFatalOutOfOrder() throws Exception {
    String frame = codec.binding().write(new dev.overture.protocol.UnknownEvent("future.event", "c-1", 1));
    ProtocolException e = assertThrows(ProtocolException.class, () -> cloud.receive(frame));
    assertEquals(ErrorCode.OUT_OF_ORDER, e.code());
    assertTrue(e.fatal());
  }

  @Test
  void aFirstFrameThatIsAnErrorEventIsAFatalOutOfOrder() {
    assertTrue(rejected(ErrorCode.OUT_OF_ORDER, error(false)).fatal());
    assertEquals(SessionPhase.CLOSED, cloud.phase());
  }

  @Test
  void unsupportedVersionIsFatal() {
    ClientEvent start =
        new dev.overture.protocol.SessionStart(
            "c", 1, java.util.Collections.singletonList(7), CLIENT);
    assertTrue(rejected(ErrorCode.UNSUPPORTED_VERSION, start).fatal());
    assertEquals(SessionPhase.CLOSED, cloud.phase());
  }

  @Test
  void errorEventCanStillBeSentAfterAFatalRejection() throws Exception {
    ProtocolException failure = rejected(ErrorCode.OUT_OF_ORDER, ping("c-p1"));
    cloud.send(ErrorEvent.of("s-e1", failure));
  }

  @Test
  void announcedLimitsAreAdopted() throws Exception {
    ProtocolLimits limits =
        new ProtocolLimits(8192, 100, 4, 6, 32, 50, 1000, 3000, 500, 10_000, 64);
    started(limits);
    assertEquals(limits, cloud.limits());
    assertEquals("rh-1", cloud.resumeHandle());
    assertEquals(SessionPhase.ESTABLISHED, cloud.phase());
  }

  @Test
  void pingIsAnsweredOnlyOnce() throws Exception {
    started(ProtocolLimits.defaults());
    cloud.receive(frame(ping("c-p1")));
    cloud.send(pong("c-p1"));
    assertThrows(ProtocolException.class, () -> cloud.send(pong("c-p1")));
  }

  @Test
  void clientEventRejectedByTheRulesConsumesItsSeq() throws Exception {
    started(ProtocolLimits.defaults());
    assertFalse(rejected(ErrorCode.UNKNOWN_TURN, inputFinal(2, "t9", "Hi")).fatal());
    assertEquals(2, cloud.lastReceivedSeq());
    cloud.receive(frame(turnStart(3, "t1")));
    assertEquals("t1", cloud.currentTurnId());
  }

  @Test
  void resumeBeyondTheReplayBufferIsFatal() throws Exception {
    started(new ProtocolLimits(8192, 100, 4, 6, 32, 50, 1000, 3000, 500, 10_000, 2));
    cloud.receive(frame(turnStart(2, "t1")));
    cloud.receive(frame(inputFinal(3, "t1", "Hi")));
    cloud.receive(frame(word(4, "t1", 0, "Hi")));
    cloud.receive(frame(commit(5, "t1", 1, "Hi")));
    cloud.send(accept(2, "t1", 1));
    cloud.send(delta(3, "t1", " there"));
    cloud.send(delta(4, "t1", " you"));
    cloud.connectionLost();
    assertTrue(rejected(ErrorCode.REPLAY_UNAVAILABLE, resume(1)).fatal());
  }

  @Test
  void resumeClaimingEventsNeverSentIsFatal() throws Exception {
    started(ProtocolLimits.defaults());
    cloud.connectionLost();
    assertTrue(rejected(ErrorCode.SEQUENCE_MISMATCH, resume(9)).fatal());
  }

  @Test
  void resumedNamesTheLastClientSeqConsumedAndStartsTheReplay() throws Exception {
    started(ProtocolLimits.defaults());
    cloud.receive(frame(turnStart(2, "t1")));
    cloud.send(done(2, "t1", DoneStatus.FAILED));
    cloud.connectionLost();
    cloud.receive(frame(resume(1)));
    assertThrows(ProtocolException.class, () -> cloud.send(resumed(1)));
    cloud.send(resumed(2));
    assertEquals(Arrays.<ServerEvent>asList(done(2, "t1", DoneStatus.FAILED)), cloud.pendingReplay());
    cloud.send(done(2, "t1", DoneStatus.FAILED));
    assertEquals(3, cloud.nextSeq());
  }

  @Test
  void oneShotSessionAnswersFromSeqOne() throws Exception {
    CloudSession oneShot = CloudSession.forContinue(codec, continueRequest("Sure,"));
    assertEquals(1, oneShot.nextSeq());
    oneShot.send(accept(1, "t1", 1));
    assertEquals("Sure,", oneShot.currentReply());
  }
}

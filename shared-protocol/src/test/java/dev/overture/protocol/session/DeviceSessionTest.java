package dev.overture.protocol.session;

import static dev.overture.protocol.Events.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.codec.RecordingBinding;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeviceSessionTest {

  private final RecordingBinding binding = new RecordingBinding();
  private final EventCodec codec = new EventCodec(binding);
  private final DeviceSession device = new DeviceSession(codec);

  /** A frame as the cloud would send it, without the cloud's state machine. */
  private String frame(ServerEvent event) throws ProtocolException {
    return codec.encode(event);
  }

  private ProtocolException rejected(ErrorCode code, ServerEvent event) {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> device.receive(frame(event)));
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  private void started() throws ProtocolException {
    device.send(start(1));
    device.receive(frame(dev.overture.protocol.Events.started(1)));
  }

  @Test
  void sendReturnsTheFrameOfTheEvent() throws Exception {
    String frame = device.send(start(1));
    assertEquals(start(1), codec.decodeClient(frame));
    assertEquals(2, device.nextSeq());
    assertEquals(SessionPhase.STARTING, device.phase());
  }

  @Test
  void rejectedSendChangesNothing() throws Exception {
    device.send(start(1));
    assertThrows(ProtocolException.class, () -> device.send(turnStart(3, "t1")));
    assertEquals(2, device.nextSeq());
    device.send(turnStart(2, "t1"));
  }

  @Test
  void invalidFieldsAreRefusedOnSend() {
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> device.send(inputFinal(1, "t1", "")));
    assertEquals(ErrorCode.INVALID_EVENT, e.code());
  }

  @Test
  void sessionStartedEstablishesAndAnnouncesLimitsAndHandle() throws Exception {
    ProtocolLimits limits =
        new ProtocolLimits(8192, 100, 4, 6, 32, 50, 1000, 3000, 500, 10_000, 64);
    device.send(start(1));
    device.receive(frame(dev.overture.protocol.Events.started(1, limits)));
    assertEquals(SessionPhase.ESTABLISHED, device.phase());
    assertEquals(limits, device.limits());
    assertEquals("rh-1", device.resumeHandle());
    assertEquals(1, device.lastReceivedSeq());
  }

  @Test
  void announcedLimitsApplyToLaterEvents() throws Exception {
    ProtocolLimits twoWords =
        new ProtocolLimits(8192, 100, 4, 2, 32, 50, 1000, 3000, 500, 10_000, 64);
    device.send(start(1));
    device.receive(frame(dev.overture.protocol.Events.started(1, twoWords)));
    device.send(turnStart(2, "t1"));
    device.send(inputFinal(3, "t1", "Hi"));
    device.send(word(4, "t1", 0, "a"));
    device.send(word(5, "t1", 1, " b"));
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> device.send(word(6, "t1", 2, " c")));
    assertEquals(ErrorCode.OPENER_TOO_LONG, e.code());
  }

  @Test
  void gapInTheServerSequenceIsFatalAndCloses() throws Exception {
    started();
    assertTrue(rejected(ErrorCode.SEQUENCE_MISMATCH, done(3, "t1", DoneStatus.FAILED)).fatal());
    assertEquals(SessionPhase.CLOSED, device.phase());
  }

  @Test
  void rejectedServerEventStillConsumesItsSeq() throws Exception {
    started();
    device.send(turnStart(2, "t1"));
    assertFalse(rejected(ErrorCode.OUT_OF_ORDER, delta(2, "t1", " x")).fatal());
    assertEquals(2, device.lastReceivedSeq());
    device.receive(frame(done(3, "t1", DoneStatus.FAILED)));
    assertEquals(SessionPhase.ESTABLISHED, device.phase());
  }

  @Test
  void undecodableFrameIsFatalAndCloses() throws Exception {
    started();
    ProtocolException e = assertThrows(ProtocolException.class, () -> device.receive("{"));
    assertTrue(e.fatal());
    assertEquals(SessionPhase.CLOSED, device.phase());
  }

  @Test
  void unbindableFrameWithAnEnvelopeConsumesItsSeq() throws Exception {
    started();
    String clientFrame = binding.write(turnStart(2, "t1"));
    assertThrows(ProtocolException.class, () -> device.receive(clientFrame));
    assertEquals(2, device.lastReceivedSeq());
    assertEquals(SessionPhase.ESTABLISHED, device.phase());
  }

  @Test
  void fatalErrorFromTheCloudClosesTheSession() throws Exception {
    started();
    device.receive(frame(error(true)));
    assertEquals(SessionPhase.CLOSED, device.phase());
  }

  @Test
  void resumeNamesTheLastServerSeqConsumed() throws Exception {
    started();
    device.connectionLost();
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> device.send(resume(0)));
    assertEquals(ErrorCode.SEQUENCE_MISMATCH, e.code());
    device.send(resume(1));
    assertEquals(SessionPhase.RESUMING, device.phase());
  }

  @Test
  void resumedSchedulesTheResendOfWhatTheCloudMissed() throws Exception {
    started();
    device.send(turnStart(2, "t1"));
    device.send(inputFinal(3, "t1", "Hi"));
    device.connectionLost();
    device.send(resume(1));
    device.receive(frame(resumed(2)));
    assertEquals(Arrays.<ClientEvent>asList(inputFinal(3, "t1", "Hi")), device.pendingReplay());
    assertThrows(ProtocolException.class, () -> device.send(word(4, "t1", 0, "Hi")));
    device.send(inputFinal(3, "t1", "Hi"));
    assertTrue(device.pendingReplay().isEmpty());
    device.send(word(4, "t1", 0, "Hi"));
  }

  @Test
  void resumedClaimingEventsNeverSentIsFatal() throws Exception {
    started();
    device.connectionLost();
    device.send(resume(1));
    assertTrue(rejected(ErrorCode.SEQUENCE_MISMATCH, resumed(5)).fatal());
  }

  @Test
  void resumedBeyondTheReplayBufferIsReplayUnavailable() throws Exception {
    ProtocolLimits tinyBuffer =
        new ProtocolLimits(8192, 100, 4, 6, 32, 50, 1000, 3000, 500, 10_000, 2);
    device.send(start(1));
    device.receive(frame(dev.overture.protocol.Events.started(1, tinyBuffer)));
    device.send(turnStart(2, "t1"));
    device.send(inputFinal(3, "t1", "Hi"));
    device.send(word(4, "t1", 0, "Hi"));
    device.connectionLost();
    device.send(resume(1));
    assertTrue(rejected(ErrorCode.REPLAY_UNAVAILABLE, resumed(1)).fatal());
  }

  @Test
  void goAwayIsReported() throws Exception {
    started();
    device.receive(frame(goAway()));
    assertTrue(device.goAwayReceived());
  }

  @Test
  void currentTurnAndReplyFollowTheEvents() throws Exception {
    started();
    assertNull(device.currentTurnId());
    device.send(turnStart(2, "t1"));
    device.send(inputFinal(3, "t1", "Hi"));
    device.send(word(4, "t1", 0, "Hello"));
    device.send(commit(5, "t1", 1, "Hello"));
    device.receive(frame(accept(2, "t1", 1)));
    device.receive(frame(delta(3, "t1", " there!")));
    assertEquals("t1", device.currentTurnId());
    assertEquals("Hello there!", device.currentReply());
  }

  @Test
  void oneShotSessionChecksTheResponseFromSeqOne() throws Exception {
    DeviceSession oneShot = DeviceSession.forContinue(codec, continueRequest("Sure,", " I"));
    assertEquals(SessionPhase.ESTABLISHED, oneShot.phase());
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> oneShot.receive(frame(rewind(1, "t1", 1))));
    assertEquals(ErrorCode.OUT_OF_ORDER, e.code());
    oneShot.receive(frame(accept(2, "t1", 2)));
    oneShot.receive(frame(delta(3, "t1", " do.")));
    assertEquals("Sure, I do.", oneShot.currentReply());
  }

  @Test
  void bytesAreReceivedLikeText() throws Exception {
    device.send(start(1));
    device.receive(frame(dev.overture.protocol.Events.started(1)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(SessionPhase.ESTABLISHED, device.phase());
  }
}

package dev.overture.protocol.conformance;

import static dev.overture.protocol.conformance.Expectations.ACCEPTED;
import static dev.overture.protocol.conformance.Expectations.check;
import static dev.overture.protocol.conformance.Expectations.expected;
import static dev.overture.protocol.conformance.Expectations.outcome;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.Event;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.codec.JsonBinding;
import dev.overture.protocol.codec.JsonBindingException;
import dev.overture.protocol.session.CloudSession;
import dev.overture.protocol.session.DeviceSession;
import java.util.List;
import java.util.Map;

/**
 * Feeds a {@link Transcript} through a {@link DeviceSession} and a {@link CloudSession}: each
 * frame is first sent by its sender's state machine (which must accept or reject it as the step
 * says), then received by the other side's (likewise).
 *
 * <p>A numbered frame that the sender's state machine refuses, or cannot produce (an unknown type
 * from a newer peer), still consumes a sequence number at the receiver. The sender's machine
 * never counted it, so the run shifts that side's later sequence numbers down by the number of
 * such frames before handing them to the sender's machine.
 */
final class TranscriptRun {

  private final ConformanceSuite suite;
  private final JsonBinding binding;
  private final Transcript transcript;
  private DeviceSession device;
  private CloudSession cloud;
  private long deviceSkipped;
  private long cloudSkipped;

  TranscriptRun(ConformanceSuite suite, JsonBinding binding, Transcript transcript) {
    this.suite = suite;
    this.binding = binding;
    this.transcript = transcript;
  }

  void run() throws Exception {
    ProtocolLimits limits = ConformanceSuite.limits(binding, transcript.limits());
    EventCodec codec = new EventCodec(binding, limits);
    if (transcript.continueRequest() != null) {
      ContinueRequest request =
          codec.decodeContinueRequest(binding.write(transcript.continueRequest()));
      device = DeviceSession.forContinue(codec, request);
      cloud = CloudSession.forContinue(codec, request);
    } else {
      device = new DeviceSession(codec);
      cloud = new CloudSession(codec);
    }
    List<TranscriptStep> steps = transcript.steps();
    for (int i = 0; i < steps.size(); i++) {
      step("transcript " + transcript.name() + ", step " + (i + 1), steps.get(i));
    }
    Map<String, String> phases = transcript.expectPhases();
    if (phases != null) {
      check(transcript.name() + ": device phase", phases.get("device"), phaseName(device.phase()));
      check(transcript.name() + ": cloud phase", phases.get("cloud"), phaseName(cloud.phase()));
    }
  }

  private void step(String where, TranscriptStep step) throws Exception {
    if ("disconnect".equals(step.action())) {
      device.connectionLost();
      cloud.connectionLost();
      return;
    }
    if (step.action() != null) {
      throw new AssertionError(where + ": unknown action " + step.action());
    }
    boolean fromDevice = "device".equals(step.from());
    if (!fromDevice && !"cloud".equals(step.from())) {
      throw new AssertionError(where + ": from must be device or cloud");
    }
    String frame = suite.text(step.frame(), step.frameText());
    String expected = expected(step.error(), step.fatal());
    String senderExpected = "accepts".equals(step.sender()) ? ACCEPTED : expected;
    if (!send(where, fromDevice, frame, senderExpected)) {
      if (fromDevice) {
        deviceSkipped++;
      } else {
        cloudSkipped++;
      }
    }
    if (!Boolean.FALSE.equals(step.delivered())) {
      String received =
          outcome(() -> {
            if (fromDevice) {
              cloud.receive(frame);
            } else {
              device.receive(frame);
            }
          });
      check(where + " (receiver)", expected, received);
    }
  }

  /**
   * Passes the frame's event through the sender's state machine; returns false when a numbered
   * frame did not go through it (so the receiver counted a sequence number the sender did not).
   */
  private boolean send(String where, boolean fromDevice, String frame, String expected)
      throws JsonBindingException {
    Event event;
    try {
      EventCodec codec = new EventCodec(binding, fromDevice ? device.limits() : cloud.limits());
      String renumbered = renumber(frame, fromDevice ? deviceSkipped : cloudSkipped);
      event = fromDevice ? codec.decodeClient(renumbered) : codec.decodeServer(renumbered);
    } catch (ProtocolException e) {
      return false; // no conforming sender produces this frame
    }
    if (event instanceof UnknownEvent) {
      return event.seq() == 0; // sent by a newer peer, which this library cannot impersonate
    }
    String sent =
        outcome(() -> {
          if (fromDevice) {
            device.send((ClientEvent) event);
          } else {
            cloud.send((ServerEvent) event);
          }
        });
    check(where + " (sender)", expected, sent);
    return sent.equals(ACCEPTED) || event.seq() == 0;
  }

  /** {@code frame} with a positive {@code seq} lowered by {@code skipped}. */
  private String renumber(String frame, long skipped) throws JsonBindingException {
    if (skipped == 0) {
      return frame;
    }
    Object value = binding.read(frame, Object.class);
    if (value instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> members = (Map<String, Object>) value;
      Object seq = members.get("seq");
      if (seq instanceof Number && ((Number) seq).longValue() > 0) {
        members.put("seq", ((Number) seq).longValue() - skipped);
        return binding.write(members);
      }
    }
    return frame;
  }

  private static String phaseName(Enum<?> phase) {
    return phase.name().toLowerCase(java.util.Locale.ROOT);
  }
}

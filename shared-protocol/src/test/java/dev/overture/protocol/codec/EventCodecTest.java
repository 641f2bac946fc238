package dev.overture.protocol.codec;

import static dev.overture.protocol.Events.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.UnknownEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private static final ProtocolLimits SMALL_FRAMES =
      new ProtocolLimits(4096, 16_384, 64, 12, 64, 200, 15_000, 45_000, 1_000, 60_000, 1_024);

  private final RecordingBinding binding = new RecordingBinding();
  private final EventCodec codec = new EventCodec(binding);

  private static ProtocolException failure(ErrorCode code, Executable call) {
    ProtocolException e = assertThrows(ProtocolException.class, call::run);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  interface Executable {
    void run() throws Exception;
  }

  /** A binding whose every call throws an unchecked exception, as a buggy library might. */
  private static final JsonBinding EXPLODING =
      new JsonBinding() {
        @Override
        public <T> T read(String json, Class<T> type) {
          throw new IllegalStateException("library bug");
        }

        @Override
        public String write(Object value) {
          throw new IllegalStateException("library bug");
        }
      };

  @Test
  void encodedFrameDecodesToTheSameEvent() throws Exception {
    ClientEvent event = word(6, "t1", 1, " love");
    assertEquals(event, codec.decodeClient(codec.encode(event)));
  }

  @Test
  void oversizedFrameIsRefusedBeforeTheBindingReadsIt() {
    EventCodec small = new EventCodec(binding, SMALL_FRAMES);
    String frame = "{\"x\":\"" + "a".repeat(5000) + "\"}";
    ProtocolException e = failure(ErrorCode.FRAME_TOO_LARGE, () -> small.decodeClient(frame));
    assertTrue(e.fatal());
    assertEquals(0, binding.reads());
  }

  @Test
  void oversizedBytesAreRefusedBeforeDecoding() {
    EventCodec small = new EventCodec(binding, SMALL_FRAMES);
    byte[] frame = new byte[4097];
    assertTrue(failure(ErrorCode.FRAME_TOO_LARGE, () -> small.decodeServer(frame)).fatal());
    assertEquals(0, binding.reads());
  }

  @Test
  void malformedJsonIsFatalAndNeverReachesTheBinding() {
    ProtocolException e = failure(ErrorCode.MALFORMED_JSON, () -> codec.decodeClient("{\"a\":"));
    assertTrue(e.fatal());
    assertNull(e.inReplyTo());
    assertEquals(0, binding.reads());
  }

  @Test
  void bytesThatAreNotUtf8AreMalformedJson() {
    byte[] frame = {'{', '"', (byte) 0xc3, 0x28, '"', ':', '1', '}'};
    assertTrue(failure(ErrorCode.MALFORMED_JSON, () -> codec.decodeClient(frame)).fatal());
  }

  @Test
  void utf8BytesDecodeLikeText() throws Exception {
    String frame = codec.encode(word(6, "t1", 1, " love"));
    assertEquals(word(6, "t1", 1, " love"), codec.decodeClient(frame.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decodedEventsAreValidated() {
    String frame = binding.write(inputFinal(5, "t1", " "));
    ProtocolException e = failure(ErrorCode.INVALID_EVENT, () -> codec.decodeClient(frame));
    assertFalse(e.fatal());
    assertEquals("c-5", e.inReplyTo());
    assertEquals(5, e.rejectedSeq().getAsLong());
  }

  @Test
  void unbindableFrameWithAReadableEnvelopeKeepsTheSession() {
    String frame = binding.write(turnStart(2, "t1"));
    ProtocolException e = failure(ErrorCode.INVALID_EVENT, () -> codec.decodeServer(frame));
    assertFalse(e.fatal());
    assertEquals("c-2", e.inReplyTo());
    assertEquals(2, e.rejectedSeq().getAsLong());
  }

  @Test
  void unbindableFrameWithoutEnvelopeIsFatal() {
    ProtocolException e = failure(ErrorCode.INVALID_EVENT, () -> codec.decodeClient("{\"x\":1}"));
    assertTrue(e.fatal());
    assertFalse(e.rejectedSeq().isPresent());
  }

  @Test
  void bindingRuntimeFailuresBecomeTypedErrors() {
    EventCodec exploding = new EventCodec(EXPLODING);
    assertTrue(failure(ErrorCode.INVALID_EVENT, () -> exploding.decodeClient("{}")).fatal());
    assertFalse(failure(ErrorCode.INTERNAL, () -> exploding.encode(ping("c-p"))).fatal());
  }

  @Test
  void unknownTypeDecodesToAnUnknownEvent() throws Exception {
    UnknownEvent unknown = new UnknownEvent("future.event", "c-9", 9);
    assertEquals(unknown, codec.decodeClient(binding.write(unknown)));
  }

  @Test
  void knownTypeOfTheOtherDirectionIsInvalid() {
    String frame = binding.write(new UnknownEvent("continuation.delta", "c-9", 9));
    ProtocolException e = failure(ErrorCode.INVALID_EVENT, () -> codec.decodeClient(frame));
    assertFalse(e.fatal());
    assertEquals(9, e.rejectedSeq().getAsLong());
  }

  @Test
  void encodeValidatesBeforeWriting() {
    failure(ErrorCode.INVALID_EVENT, () -> codec.encode(inputFinal(5, "t1", "")));
    assertEquals(0, binding.writes());
  }

  @Test
  void encodeRefusesUnknownEvents() {
    failure(ErrorCode.INVALID_EVENT, () -> codec.encode(new UnknownEvent("future.event", "c", 1)));
  }

  @Test
  void encodeRefusesFramesOverTheLimit() {
    JsonBinding verbose =
        new JsonBinding() {
          @Override
          public <T> T read(String json, Class<T> type) throws JsonBindingException {
            throw new JsonBindingException("unused", null);
          }

          @Override
          public String write(Object value) {
            return "{\"pad\":\"" + "a".repeat(5000) + "\"}";
          }
        };
    EventCodec small = new EventCodec(verbose, SMALL_FRAMES);
    failure(ErrorCode.FRAME_TOO_LARGE, () -> small.encode(ping("c-p")));
  }

  @Test
  void limitsApplyToFieldRules() {
    EventCodec small = codec.withLimits(SMALL_FRAMES);
    assertSame(binding, small.binding());
    assertEquals(SMALL_FRAMES, small.limits());
    assertEquals(ProtocolLimits.defaults(), codec.limits());
  }

  @Test
  void continueRequestRoundTrips() throws Exception {
    ContinueRequest request = continueRequest("Sure,", " I");
    assertEquals(request, codec.decodeContinueRequest(codec.encode(request)));
  }

  @Test
  void continueRequestFailuresAreNotFatal() {
    String body = binding.write(continueRequest("Sure,", "I"));
    assertFalse(failure(ErrorCode.INVALID_EVENT, () -> codec.decodeContinueRequest(body)).fatal());
    assertFalse(failure(ErrorCode.INVALID_EVENT, () -> codec.decodeContinueRequest("{\"x\":1}")).fatal());
  }

  @Test
  void codecNeedsABindingAndLimits() {
    assertThrows(NullPointerException.class, () -> new EventCodec(null, ProtocolLimits.defaults()));
    assertThrows(NullPointerException.class, () -> new EventCodec(binding, null));
  }
}

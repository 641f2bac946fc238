package dev.overture.protocol.codec;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.Event;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.internal.BindingDiagnosis;
import dev.overture.protocol.internal.Envelope;
import dev.overture.protocol.internal.EventTypes;
import dev.overture.protocol.internal.EventValidator;
import dev.overture.protocol.internal.JsonSyntax;
import dev.overture.protocol.internal.Utf8;

/**
 * Turns frames into validated events and events into frames, through one {@link JsonBinding}.
 *
 * <p>Decoding a frame, in order: the size limit ({@code frame_too_large}, before anything is
 * parsed), strict UTF-8 and JSON syntax ({@code malformed_json}), binding to the event records
 * ({@code invalid_event}), then the field rules ({@code invalid_event}, {@code context_too_large},
 * {@code opener_too_long}). Every outcome is either an event or a {@link ProtocolException};
 * nothing else escapes, whatever the input. A type this version does not know decodes as {@link
 * UnknownEvent}; a known type of the other direction is {@code invalid_event}. When a frame fails
 * after its envelope ({@code type}, {@code event_id}, {@code seq}) could be read, the failure names
 * the event and is not fatal; otherwise it is fatal.
 *
 * <p>Encoding validates the event first, so a conforming sender never emits a frame its peer
 * rejects for its fields. Instances are immutable and thread-safe if the binding is.
 */
public final class EventCodec {

  private final JsonBinding binding;
  private final ProtocolLimits limits;
  private final int inboundFrameBytes;

  public EventCodec(JsonBinding binding, ProtocolLimits limits) {
    this(binding, limits, limits == null ? 0 : limits.maxFrameBytes());
  }

  private EventCodec(JsonBinding binding, ProtocolLimits limits, int inboundFrameBytes) {
    if (binding == null || limits == null) {
      throw new NullPointerException("binding and limits are required");
    }
    this.binding = binding;
    this.limits = limits;
    this.inboundFrameBytes = inboundFrameBytes;
  }

  /** A codec with the {@linkplain ProtocolLimits#defaults() default limits}. */
  public EventCodec(JsonBinding binding) {
    this(binding, ProtocolLimits.defaults());
  }

  /** This codec with other limits (as announced by {@code session.started}). */
  public EventCodec withLimits(ProtocolLimits limits) {
    return new EventCodec(binding, limits);
  }

  /**
   * This codec, decoding frames up to the larger of its {@code max_frame_bytes} and the default
   * one (encoding is unchanged): what the side that announces the limits accepts, since its peer
   * may have sent frames under the defaults before it read the announcement (protocol section 3).
   */
  public EventCodec acceptingDefaultFrames() {
    return new EventCodec(
        binding, limits, Math.max(limits.maxFrameBytes(), ProtocolLimits.defaults().maxFrameBytes()));
  }

  public ProtocolLimits limits() {
    return limits;
  }

  public JsonBinding binding() {
    return binding;
  }

  /** Decodes a frame the device sent. */
  public ClientEvent decodeClient(String frame) throws ProtocolException {
    return decode(frame, ClientEvent.class);
  }

  /** Decodes a frame the device sent, given as bytes that should be UTF-8. */
  public ClientEvent decodeClient(byte[] frame) throws ProtocolException {
    return decode(utf8(frame), ClientEvent.class);
  }

  /** Decodes a frame the cloud sent. */
  public ServerEvent decodeServer(String frame) throws ProtocolException {
    return decode(frame, ServerEvent.class);
  }

  /** Decodes a frame the cloud sent, given as bytes that should be UTF-8. */
  public ServerEvent decodeServer(byte[] frame) throws ProtocolException {
    return decode(utf8(frame), ServerEvent.class);
  }

  /** Decodes the body of {@code POST /v1/continue}. Failures are never fatal (there is no session). */
  public ContinueRequest decodeContinueRequest(byte[] body) throws ProtocolException {
    return decodeContinueRequest(utf8(body));
  }

  /** Decodes the body of {@code POST /v1/continue}. Failures are never fatal (there is no session). */
  public ContinueRequest decodeContinueRequest(String json) throws ProtocolException {
    checkSyntax(json);
    ContinueRequest request;
    try {
      request = binding.read(json, ContinueRequest.class);
    } catch (JsonBindingException | RuntimeException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_EVENT, explain(json, ContinueRequest.class, "continue_request"), false, null, -1);
    }
    EventValidator.validate(request, limits);
    return request;
  }

  /** Validates and encodes {@code event} as one frame. */
  public String encode(Event event) throws ProtocolException {
    if (event instanceof UnknownEvent) {
      throw ProtocolException.about(
          event, ErrorCode.INVALID_EVENT, "an unknown event cannot be encoded");
    }
    EventValidator.validate(event, limits);
    String frame = write(event);
    if (Utf8.exceeds(frame, limits.maxFrameBytes())) {
      throw ProtocolException.about(
          event, ErrorCode.FRAME_TOO_LARGE, "frame exceeds max_frame_bytes " + limits.maxFrameBytes());
    }
    return frame;
  }

  /** Validates and encodes a {@code POST /v1/continue} body. */
  public String encode(ContinueRequest request) throws ProtocolException {
    EventValidator.validate(request, limits);
    String body = write(request);
    if (Utf8.exceeds(body, limits.maxFrameBytes())) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE, "request exceeds max_frame_bytes", false, null, -1);
    }
    return body;
  }

  private String write(Object value) throws ProtocolException {
    try {
      return binding.write(value);
    } catch (JsonBindingException | RuntimeException e) {
      throw new ProtocolException(
          ErrorCode.INTERNAL, "cannot encode: " + e.getMessage(), false, null, -1);
    }
  }

  private <T extends Event> T decode(String frame, Class<T> direction) throws ProtocolException {
    checkSyntax(frame);
    T event;
    try {
      event = binding.read(frame, direction);
    } catch (JsonBindingException | RuntimeException e) {
      throw unbindable(frame, explain(frame, direction, "event"));
    }
    if (event instanceof UnknownEvent) {
      requireStringType(frame, event); // binding comes before the member rules (protocol section 1)
      EventValidator.validate(event, limits);
      String type = ((UnknownEvent) event).type();
      if (EventTypes.isClientType(type) || EventTypes.isServerType(type)) {
        throw ProtocolException.about(
            event, ErrorCode.INVALID_EVENT, type + " is not sent in this direction");
      }
      return event;
    }
    EventValidator.validate(event, limits);
    return event;
  }

  /**
   * JSON libraries turn a number or boolean type id into text; the protocol wants a string, which
   * the strictly bound {@link Envelope} checks.
   */
  private void requireStringType(String frame, Event event) throws ProtocolException {
    try {
      binding.read(frame, Envelope.class);
    } catch (JsonBindingException | RuntimeException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_EVENT, "event.type: must be a string", true,
          EventValidator.isId(event.eventId()) ? event.eventId() : null, -1);
    }
  }

  private void checkSyntax(String json) throws ProtocolException {
    if (Utf8.exceeds(json, inboundFrameBytes)) {
      throw frameTooLarge();
    }
    JsonSyntax.checkObject(json);
  }

  private String utf8(byte[] frame) throws ProtocolException {
    if (frame.length > inboundFrameBytes) {
      throw frameTooLarge();
    }
    return strictUtf8(frame);
  }

  /**
   * The text of {@code json} if it is strict UTF-8 holding one JSON object under the frame rules
   * (no byte order mark, nesting at most 32 levels, unique member names, short numbers and names),
   * whatever its size: for bodies outside the protocol (the OpenAI-compatible endpoint), whose size
   * the caller limits. Fails with {@code malformed_json}.
   */
  public static String jsonObjectText(byte[] json) throws ProtocolException {
    String text = strictUtf8(json);
    JsonSyntax.checkObject(text);
    return text;
  }

  private static String strictUtf8(byte[] bytes) throws ProtocolException {
    String text = Utf8.decodeStrict(bytes);
    if (text == null) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_JSON, "frame is not well-formed UTF-8", true, null, -1);
    }
    return text;
  }

  /**
   * Why {@code json}, well-formed, does not bind to {@code target}, in the protocol's words: the
   * JSON library's own message names its internals (and differs between the Jackson lines).
   */
  private String explain(String json, Class<?> target, String subject) {
    String problem;
    try {
      problem = BindingDiagnosis.explain(binding.read(json, Object.class), target, subject);
    } catch (JsonBindingException | RuntimeException e) {
      problem = null;
    }
    return problem != null ? problem : subject + ": a member does not have the type the protocol gives it";
  }

  private ProtocolException frameTooLarge() {
    return new ProtocolException(
        ErrorCode.FRAME_TOO_LARGE,
        "frame exceeds max_frame_bytes " + inboundFrameBytes,
        true,
        null,
        -1);
  }

  /**
   * The failure for a syntactically valid frame the binding rejected: it names the event and keeps
   * the session when the envelope can still be read, else it is fatal.
   */
  private ProtocolException unbindable(String frame, String message) {
    Envelope envelope;
    try {
      envelope = binding.read(frame, Envelope.class);
    } catch (JsonBindingException | RuntimeException e) {
      envelope = null;
    }
    if (envelope == null) {
      return new ProtocolException(ErrorCode.INVALID_EVENT, message, true, null, -1);
    }
    String id = EventValidator.isId(envelope.eventId()) ? envelope.eventId() : null;
    Long seq = envelope.seq();
    String type = envelope.type();
    if (type == null || seq == null) {
      return new ProtocolException(ErrorCode.INVALID_EVENT, message, true, id, -1);
    }
    boolean known = EventTypes.isClientType(type) || EventTypes.isServerType(type);
    boolean connection = EventTypes.isConnectionType(type);
    long lowest = known && !connection ? 1 : 0;
    long highest = connection ? 0 : EventValidator.MAX_SEQ;
    boolean readableSeq = seq >= lowest && seq <= highest;
    return new ProtocolException(
        ErrorCode.INVALID_EVENT, message, !readableSeq, id, readableSeq ? seq : -1);
  }
}

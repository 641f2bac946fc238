package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.overture.protocol.internal.Utf8;

/**
 * {@code error}: either side reports a problem with an event it received or with the session.
 *
 * @param code stable machine-readable code
 * @param message human-readable detail, for logs only
 * @param fatal whether the sender closes the connection and ends the session after this event
 * @param inReplyTo the id of the offending event, when known
 */
@JsonTypeName(ErrorEvent.TYPE)
public record ErrorEvent(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "code", required = true) ErrorCode code,
    @JsonProperty(value = "message", required = true) String message,
    @JsonProperty(value = "fatal", required = true) boolean fatal,
    @JsonProperty("in_reply_to") String inReplyTo)
    implements ClientEvent, ServerEvent, ConnectionEvent {

  public static final String TYPE = "error";

  /** The longest message, in code points. */
  public static final int MAX_MESSAGE_CHARS = 1024;

  /**
   * The most UTF-8 bytes {@link #of} puts in a message: even with every byte escaped in JSON
   * ({@code \"}) the event stays within the smallest frame limit a peer may announce (4,096).
   */
  static final int MAX_MESSAGE_BYTES = 1800;

  /**
   * The error event that reports {@code failure} to the peer. Its message may quote what the peer
   * sent (an unknown type, say), so it is made sendable whatever that was: lone surrogates and
   * control characters become U+FFFD, and it is cut to {@link #MAX_MESSAGE_CHARS} code points and
   * {@link #MAX_MESSAGE_BYTES} bytes.
   */
  public static ErrorEvent of(String eventId, ProtocolException failure) {
    String message = failure.getMessage() == null ? failure.code().wireName() : failure.getMessage();
    return new ErrorEvent(
        eventId,
        0,
        failure.code(),
        Utf8.truncateBytes(Utf8.truncate(Utf8.printable(message), MAX_MESSAGE_CHARS), MAX_MESSAGE_BYTES),
        failure.fatal(),
        failure.inReplyTo());
  }
}

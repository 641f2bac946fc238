package dev.overture.protocol;

import java.util.OptionalLong;

/**
 * A frame or event that breaks the protocol, as the codec or a session state machine found it.
 * The only exception the protocol classes throw for bad input.
 */
public final class ProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final boolean fatal;
  private final String inReplyTo;
  private final long rejectedSeq;

  /**
   * @param inReplyTo the id of the offending event, or null when it is unknown
   * @param rejectedSeq the offending event's sequence number when it could be read, else -1
   */
  public ProtocolException(
      ErrorCode code, String message, boolean fatal, String inReplyTo, long rejectedSeq) {
    super(message);
    this.code = code;
    this.fatal = fatal;
    this.inReplyTo = inReplyTo;
    this.rejectedSeq = rejectedSeq;
  }

  /** A failure about {@code event} that leaves the session usable. */
  public static ProtocolException about(Event event, ErrorCode code, String message) {
    return new ProtocolException(code, message, false, event.eventId(), event.seq());
  }

  /** A failure about {@code event} after which the session is over. */
  public static ProtocolException fatalAbout(Event event, ErrorCode code, String message) {
    return new ProtocolException(code, message, true, event.eventId(), event.seq());
  }

  public ErrorCode code() {
    return code;
  }

  /** Whether the connection must be closed and the session ends. */
  public boolean fatal() {
    return fatal;
  }

  /** The id of the offending event, or null when it could not be read. */
  public String inReplyTo() {
    return inReplyTo;
  }

  /** The offending event's sequence number, when it could be read. */
  public OptionalLong rejectedSeq() {
    return rejectedSeq < 0 ? OptionalLong.empty() : OptionalLong.of(rejectedSeq);
  }

  /** This failure as fatal: the same code, message and event. */
  public ProtocolException asFatal() {
    return fatal ? this : new ProtocolException(code, getMessage(), true, inReplyTo, rejectedSeq);
  }

  @Override
  public String toString() {
    return "ProtocolException{" + code + (fatal ? ", fatal" : "") + ": " + getMessage() + "}";
  }
}

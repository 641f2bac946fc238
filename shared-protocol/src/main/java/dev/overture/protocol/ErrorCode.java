package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Stable error codes of the handoff protocol. The wire names never change; new codes may be added
 * in any version, and a code this version does not know decodes as {@link #UNRECOGNIZED}.
 */
public enum ErrorCode {
  /** The frame is not one well-formed JSON object in UTF-8 (fatal). */
  MALFORMED_JSON("malformed_json"),
  /** The frame is larger than {@code max_frame_bytes} (fatal). */
  FRAME_TOO_LARGE("frame_too_large"),
  /** A field is missing, has the wrong type or an illegal value (fatal when the seq is unreadable). */
  INVALID_EVENT("invalid_event"),
  /** The client offered no version the server speaks (fatal). */
  UNSUPPORTED_VERSION("unsupported_version"),
  /** A numbered event's seq is not the next one expected (fatal). */
  SEQUENCE_MISMATCH("sequence_mismatch"),
  /** The event is not allowed in the current state of the session or turn. */
  OUT_OF_ORDER("out_of_order"),
  /** The resume handle or session id is unknown or expired (fatal). */
  UNKNOWN_SESSION("unknown_session"),
  /** The turn id names no turn of this session. */
  UNKNOWN_TURN("unknown_turn"),
  /** The events a resume needs are no longer buffered (fatal). */
  REPLAY_UNAVAILABLE("replay_unavailable"),
  /** The client sends more than {@code max_events_per_second}; the event was dropped. */
  RATE_LIMITED("rate_limited"),
  /** History or user text exceed {@code max_context_chars} or {@code max_history_items}. */
  CONTEXT_TOO_LARGE("context_too_large"),
  /** More opener words than {@code max_opener_words}. */
  OPENER_TOO_LONG("opener_too_long"),
  /** The server has no capacity for this session or turn. */
  OVERLOADED("overloaded"),
  /** Missing or rejected credentials (fatal). */
  UNAUTHORIZED("unauthorized"),
  /** The peer did not answer in time (for example no rewind ack within {@code rewind_ack_timeout_ms}). */
  TIMEOUT("timeout"),
  /** The cloud model failed while generating. */
  ENGINE_FAILED("engine_failed"),
  /** A bug on the reporting side. */
  INTERNAL("internal"),
  /** A code from a newer protocol version; treat like {@link #INTERNAL}. */
  UNRECOGNIZED("unrecognized");

  private final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }

  /** The code as it appears on the wire, for example {@code "out_of_order"}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The code with this wire name, or {@link #UNRECOGNIZED} for a name this version does not know. */
  @JsonCreator
  public static ErrorCode fromWireName(String wireName) {
    for (ErrorCode code : values()) {
      if (code.wireName.equals(wireName)) {
        return code;
      }
    }
    return UNRECOGNIZED;
  }

  @Override
  public String toString() {
    return wireName;
  }
}

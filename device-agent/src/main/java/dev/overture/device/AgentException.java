package dev.overture.device;

/**
 * A typed failure the agent reports through {@link AgentListener#onError}. Most are notices that
 * the agent worked around (the cloud could not be reached, so the device answered alone); the
 * turn still ends with {@link AgentListener#onTurnDone}.
 */
public final class AgentException extends Exception {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The cloud could not be reached (connect failure, dropped connection that did not resume). */
    CLOUD_UNREACHABLE,
    /** The cloud refused the credentials (HTTP 401, {@code unauthorized}). */
    CLOUD_UNAUTHORIZED,
    /** The cloud answered with an error event or a failed turn ({@link #code()} is its code). */
    CLOUD_ERROR,
    /** A frame from the cloud broke the handoff protocol; the connection was dropped. */
    PROTOCOL,
    /**
     * The conversation does not fit the micro model's context even without its history, or the
     * question is longer than the cloud's announced {@code max_context_chars}.
     */
    CONTEXT_TOO_LARGE,
    /** A bug in the agent; the turn it happened in was ended. */
    INTERNAL
  }

  private final Kind kind;
  private final String code;

  public AgentException(Kind kind, String message) {
    this(kind, null, message, null);
  }

  public AgentException(Kind kind, String code, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** The protocol's error code (for example {@code overloaded}) when the cloud named one, else null. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "AgentException{" + kind + (code == null ? "" : " " + code) + ": " + getMessage() + "}";
  }
}

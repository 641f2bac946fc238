package dev.overture.cloud.engine;

/**
 * The engine failed: the embedded model threw, or the upstream answered with an error, timed
 * out or cut the stream.
 */
public final class EngineFailureException extends RuntimeException {
  /** What kind of failure, mapped to protocol error codes by the handoff layer. */
  public enum Kind {
    /** The upstream took longer than the configured timeout. */
    TIMEOUT,
    /** The upstream refused the request (4xx other than 429) or our request was invalid. */
    REJECTED,
    /** The upstream is overloaded or rate-limits us (429, 503). */
    UNAVAILABLE,
    /** Anything else: 5xx, a cut stream, an exception in the embedded model. */
    FAILED
  }

  private final Kind kind;

  public EngineFailureException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public EngineFailureException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }
}

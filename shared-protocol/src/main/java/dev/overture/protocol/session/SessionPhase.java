package dev.overture.protocol.session;

/** Where a session stands, as both sides see it. */
public enum SessionPhase {
  /** No event yet; the connection's first event must be {@code session.start} (or a resume). */
  NEW,
  /** {@code session.start} went out; the client may already stream turn events (pipelining). */
  STARTING,
  /** {@code session.started} or {@code session.resumed} went through; everything is allowed. */
  ESTABLISHED,
  /** The connection dropped after the session started; only {@code session.resume} may follow. */
  DISCONNECTED,
  /** {@code session.resume} went out; waiting for {@code session.resumed}. */
  RESUMING,
  /** A fatal error ended the session, or it dropped before it started. */
  CLOSED
}

package dev.overture.cloud.handoff;

import dev.overture.protocol.ServerEvent;

/**
 * One transport under a session: a WebSocket, or the response of one {@code POST /v1/continue}.
 * Frames are queued in a bounded buffer that the transport drains as the client reads.
 */
interface Connection {

  /**
   * Queues a frame; false when the buffer is full because the client does not read (nothing is
   * queued then). After {@link #finish} frames are dropped silently.
   */
  boolean send(ServerEvent event, String frame);

  /**
   * Queues a last frame (may be null), even into a full buffer, and then closes the transport
   * once everything queued is written.
   */
  void finish(ServerEvent event, String frame);

  /** Whether {@link #finish} was called: the connection is closing and takes nothing more. */
  boolean finished();
}

package dev.overture.cloud.handoff;

import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.GoAway;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ServerEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;

/**
 * One WebSocket under a handoff session. Inbound messages are size-checked and copied on the
 * Netty thread, then handed to the session's pipeline; outbound frames wait in a bounded queue
 * that Netty drains as the socket becomes writable. The close code follows the protocol: 1000
 * normally, 1001 after {@code session.go_away}, 1007 after {@code malformed_json}, 1009 after
 * {@code frame_too_large}, 1008 after any other fatal error.
 */
final class WebSocketConnection implements Connection {

  private static final byte[] PING = {'o', 'v'};

  private final WebSocketSession socket;
  private final HandoffSessions sessions;
  private final String apiKeyId;
  private final int maxFrameBytes;
  private final BoundedOutbox<WebSocketMessage> outbound;
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile HandoffSession session;
  private volatile boolean wentAway;
  private boolean closing; // guarded by this
  private volatile CloseStatus closeStatus = CloseStatus.NORMAL;

  WebSocketConnection(WebSocketSession socket, HandoffSessions sessions, String apiKeyId, int maxFrameBytes, int capacity) {
    this.socket = socket;
    this.sessions = sessions;
    this.apiKeyId = apiKeyId;
    this.maxFrameBytes = maxFrameBytes;
    this.outbound = new BoundedOutbox<>(capacity);
  }

  /** What Netty writes: every frame queued here, in order. */
  Flux<WebSocketMessage> outbound() {
    return outbound.items();
  }

  /** Called on the Netty thread for every inbound message. */
  void received(WebSocketMessage message) {
    lastHeardNanos = System.nanoTime();
    if (message.getType() == WebSocketMessage.Type.PING || message.getType() == WebSocketMessage.Type.PONG) {
      return;
    }
    if (message.getType() == WebSocketMessage.Type.BINARY) {
      sessionFor(null).refuse(this, fatal(ErrorCode.MALFORMED_JSON, "binary messages are not used; frames are text"));
      return;
    }
    DataBuffer payload = message.getPayload(); // within the frame limit: the decoder refused larger ones
    byte[] frame = new byte[payload.readableByteCount()];
    payload.read(frame);
    sessionFor(frame).frame(this, frame);
  }

  /**
   * Called on the Netty thread when the transport refused what the client sent ({@link
   * WebSocketPipeline}): a frame over the frame limit, a message assembled from fragments over
   * it, a text frame that is not UTF-8, or broken WebSocket framing. The session answers with the
   * fatal error and closes.
   */
  void transportFailed(Throwable refused) {
    WebSocketCloseStatus status =
        refused instanceof CorruptedWebSocketFrameException corrupted ? corrupted.closeStatus() : null;
    ProtocolException failure;
    if (refused instanceof TooLongFrameException || status == WebSocketCloseStatus.MESSAGE_TOO_BIG) {
      failure = fatal(ErrorCode.FRAME_TOO_LARGE, "frame exceeds max_frame_bytes " + maxFrameBytes);
    } else if (status == WebSocketCloseStatus.INVALID_PAYLOAD_DATA) {
      failure = fatal(ErrorCode.MALFORMED_JSON, "a text frame is not well-formed UTF-8");
    } else {
      failure = fatal(ErrorCode.MALFORMED_JSON, "broken WebSocket framing");
    }
    sessionFor(null).refuse(this, failure);
  }

  /** The connection's first frame decides its session: the one it resumes, or a new one. */
  private HandoffSession sessionFor(byte[] firstFrame) {
    HandoffSession target = session;
    if (target == null) {
      target = firstFrame == null ? null : sessions.resumeTarget(firstFrame, apiKeyId);
      if (target == null) {
        target = sessions.newSession(apiKeyId);
      }
      session = target;
    }
    return target;
  }

  private static ProtocolException fatal(ErrorCode code, String message) {
    return new ProtocolException(code, message, true, null, -1);
  }

  /** How the socket is closed once the outbound queue is drained. */
  CloseStatus closeStatus() {
    return closeStatus;
  }

  /** Called every ping interval: closes an idle connection, else pings the client. */
  void heartbeat(Duration idleTimeout) {
    if (System.nanoTime() - lastHeardNanos > idleTimeout.toNanos()) {
      HandoffSession target = session;
      if (target != null) {
        target.idle(this, idleTimeout);
      } else {
        finish(null, null);
      }
      return;
    }
    outbound.offer(socket.pingMessage(factory -> factory.wrap(PING))); // a full queue skips a ping
  }

  /** The socket closed, whoever closed it. */
  void closed() {
    finish(null, null);
    HandoffSession target = session;
    if (target != null) {
      target.connectionClosed(this);
    }
  }

  @Override
  public boolean send(ServerEvent event, String frame) {
    wentAway |= event instanceof GoAway;
    return outbound.offer(socket.textMessage(frame));
  }

  @Override
  public synchronized void finish(ServerEvent event, String frame) {
    if (closing) {
      return;
    }
    closing = true;
    closeStatus = closeStatusAfter(event); // read once the queue is drained, so set it first
    outbound.finish(frame == null ? null : socket.textMessage(frame));
  }

  @Override
  public synchronized boolean finished() {
    return closing;
  }

  private CloseStatus closeStatusAfter(ServerEvent last) {
    if (last instanceof ErrorEvent error && error.fatal()) {
      return switch (error.code()) {
        case MALFORMED_JSON -> CloseStatus.BAD_DATA;
        case FRAME_TOO_LARGE -> CloseStatus.TOO_BIG_TO_PROCESS;
        default -> CloseStatus.POLICY_VIOLATION;
      };
    }
    return wentAway ? CloseStatus.GOING_AWAY : CloseStatus.NORMAL;
  }
}

package dev.overture.cloud.handoff;

import dev.overture.protocol.ProtocolLimits;
import java.security.Principal;
import java.time.Duration;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/handoff}: one {@link WebSocketConnection} per socket, feeding the handoff session its
 * first frame names. The server pings every ping interval and closes a socket on which nothing
 * arrived for the idle timeout.
 */
final class HandoffWebSocketHandler implements WebSocketHandler {

  private final HandoffSessions sessions;
  private final HandoffProperties properties;

  HandoffWebSocketHandler(HandoffSessions sessions, HandoffProperties properties) {
    this.sessions = sessions;
    this.properties = properties;
  }

  @Override
  public Mono<Void> handle(WebSocketSession socket) {
    // The API key filter made the caller's key id the principal of the upgrade request.
    return socket
        .getHandshakeInfo()
        .getPrincipal()
        .map(Principal::getName)
        .defaultIfEmpty("anonymous")
        .flatMap(apiKeyId -> handle(socket, apiKeyId));
  }

  private Mono<Void> handle(WebSocketSession socket, String apiKeyId) {
    // Before session.started the default limits apply, afterwards ours: refuse what exceeds both.
    int maxFrameBytes = Math.max(properties.maxFrameBytes(), ProtocolLimits.defaults().maxFrameBytes());
    WebSocketConnection connection =
        new WebSocketConnection(socket, sessions, apiKeyId, maxFrameBytes, properties.outboundBufferFrames());
    Duration interval = properties.pingInterval();
    Disposable heartbeat =
        Flux.interval(interval, interval).subscribe(tick -> connection.heartbeat(properties.idleTimeout()));
    Mono<Void> input =
        socket
            .receive()
            .doOnNext(connection::received)
            .then()
            .doFinally(
                signal -> {
                  heartbeat.dispose();
                  connection.closed();
                });
    Mono<Void> output =
        socket
            .send(connection.outbound())
            .then(Mono.defer(() -> socket.isOpen() ? socket.close(connection.closeStatus()) : Mono.empty()));
    return Mono.when(input, output);
  }
}

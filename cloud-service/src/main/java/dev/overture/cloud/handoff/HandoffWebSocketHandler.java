package dev.overture.cloud.handoff;

import java.time.Duration;
import java.util.Optional;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
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
  private final WebSocketPipeline socketPipeline;

  HandoffWebSocketHandler(HandoffSessions sessions, HandoffProperties properties, WebSocketPipeline socketPipeline) {
    this.sessions = sessions;
    this.properties = properties;
    this.socketPipeline = socketPipeline;
  }

  @Override
  public Mono<Void> handle(WebSocketSession socket) {
    // The API key filter made the caller's key id the principal of the upgrade request; without
    // one (a path the filter did not recognise as the API's) the socket closes unserved.
    return socket
        .getHandshakeInfo()
        .getPrincipal()
        .map(principal -> Optional.of(principal.getName()))
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            apiKeyId ->
                apiKeyId.isPresent()
                    ? handle(socket, apiKeyId.get())
                    : socket.close(CloseStatus.POLICY_VIOLATION.withReason("no API key")));
  }

  private Mono<Void> handle(WebSocketSession socket, String apiKeyId) {
    WebSocketConnection connection =
        new WebSocketConnection(
            socket, sessions, apiKeyId, properties.acceptedFrameBytes(), properties.outboundBufferFrames());
    Flux<WebSocketMessage> messages = socket.receive();
    socketPipeline.install(socket, connection::transportFailed); // after receive(): see install
    Duration interval = properties.pingInterval();
    Disposable heartbeat =
        Flux.interval(interval, interval).subscribe(tick -> connection.heartbeat(properties.idleTimeout()));
    Mono<Void> input =
        messages
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

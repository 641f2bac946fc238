package dev.overture.cloud.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

/** A blocking test client over a real WebSocket (Reactor Netty): send frames, take them in order. */
public final class WsClient implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(5);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CLOSED = "\u0000closed";

  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final Sinks.Many<Object> outbox = Sinks.many().unicast().onBackpressureBuffer();
  private final CompletableFuture<WebSocketSession> session = new CompletableFuture<>();
  private final CompletableFuture<CloseStatus> closeStatus = new CompletableFuture<>();
  private final Disposable connection;

  private WsClient(int port, String apiKey) {
    HttpHeaders headers = new HttpHeaders();
    if (apiKey != null) {
      headers.setBearerAuth(apiKey);
    }
    connection =
        new ReactorNettyWebSocketClient()
            .execute(URI.create("ws://localhost:" + port + "/v1/handoff"), headers, this::run)
            .subscribe(done -> {}, session::completeExceptionally);
  }

  /** Connects with {@code apiKey} (null for none); fails when the upgrade is refused. */
  public static WsClient connect(int port, String apiKey) {
    WsClient client = new WsClient(port, apiKey);
    try {
      client.session.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("upgrade refused: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("no connection within " + WAIT, e);
    }
    return client;
  }

  private Mono<Void> run(WebSocketSession socket) {
    session.complete(socket);
    socket.closeStatus().subscribe(closeStatus::complete);
    Mono<Void> in =
        socket
            .receive()
            .doOnNext(message -> {
              if (message.getType() == WebSocketMessage.Type.TEXT) {
                inbox.add(message.getPayloadAsText());
              }
            })
            .doFinally(signal -> inbox.add(CLOSED))
            .then();
    Mono<Void> out =
        socket.send(
            outbox.asFlux().map(item -> item instanceof byte[] bytes
                ? socket.binaryMessage(factory -> factory.wrap(bytes))
                : socket.textMessage((String) item)));
    return Mono.zip(in, out).then();
  }

  public void send(String frame) {
    outbox.tryEmitNext(frame);
  }

  public void sendBinary(byte[] frame) {
    outbox.tryEmitNext(frame);
  }

  /** The next frame from the server; fails after {@link #WAIT} or when the socket closed. */
  public String next() {
    String frame = poll(WAIT);
    if (frame == null) {
      throw new AssertionError("no frame from the server within " + WAIT);
    }
    return frame;
  }

  /** The next frame as JSON members. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> nextEvent() {
    return JSON.readValue(next(), Map.class);
  }

  /** The next frame within {@code timeout}, or null; fails if the socket closed instead. */
  public String poll(Duration timeout) {
    try {
      String frame = inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (CLOSED.equals(frame)) {
        inbox.add(CLOSED);
        throw new AssertionError("the server closed the socket (" + closeStatus.getNow(null) + ")");
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How the server closed the socket, waiting up to {@link #WAIT}. */
  public CloseStatus awaitClose() {
    try {
      return closeStatus.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("the socket did not close within " + WAIT, e);
    }
  }

  /** Drops the connection without a close handshake, as a vanished client would. */
  public void vanish() {
    connection.dispose();
  }

  @Override
  public void close() {
    outbox.tryEmitComplete();
    WebSocketSession socket = session.getNow(null);
    if (socket != null && socket.isOpen()) {
      socket.close().onErrorResume(e -> Mono.empty()).block(WAIT); // the server may have closed it
    }
    connection.dispose();
  }

  /** Bytes of a frame, for size checks. */
  public static int bytes(String frame) {
    return frame.getBytes(StandardCharsets.UTF_8).length;
  }
}

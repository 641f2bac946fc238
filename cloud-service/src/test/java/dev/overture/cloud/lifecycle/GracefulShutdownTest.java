package dev.overture.cloud.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.CloudServiceApplication;
import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.PuppetEngine;
import dev.overture.cloud.testing.PuppetEngineConfiguration;
import dev.overture.cloud.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Shutting down: {@code session.go_away} to every session, new commits refused, the running turn
 * drained, then the sockets closed with 1001. The service runs in its own application context,
 * which the test closes.
 */
class GracefulShutdownTest {

  private static final String KEY = "shutdown-key-0123456789";

  /** The service with the puppet engine in an application context of its own, which the test closes. */
  private static ConfigurableApplicationContext service(String drainTimeout) {
    return new SpringApplicationBuilder(CloudServiceApplication.class, PuppetEngineConfiguration.class)
        .run(
            "--server.port=0",
            "--overture.engine.kind=puppet",
            "--overture.security.api-keys=" + KEY,
            "--overture.lifecycle.drain-timeout=" + drainTimeout);
  }

  @Test
  void shutdownAnnouncesGoAwayDrainsTheRunningTurnAndThenCloses() throws Exception {
    ConfigurableApplicationContext context = service("5s");
    try {
      int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
      PuppetEngine puppet = context.getBean(PuppetEngine.class);
      PuppetEngine.Reply reply = puppet.expectReply();
      WsClient running = WsClient.connect(port, KEY);
      Device device = new Device();
      device.open(running);
      device.committedTurn(running, "t1", "Tell me a story.", List.of("Once"));
      assertThat(running.nextEvent()).containsEntry("type", "opener.accept");
      reply.request(Duration.ofSeconds(5));
      WsClient late = WsClient.connect(port, KEY);
      Device lateDevice = new Device();
      lateDevice.open(late);

      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);

      assertThat(running.nextEvent()).containsEntry("type", "session.go_away").containsEntry("time_left_ms", 5000);
      assertThat(late.nextEvent()).containsEntry("type", "session.go_away");
      lateDevice.committedTurn(late, "t1", "Anything?", List.of("Well"));
      Map<String, Object> refused = late.nextEvent();
      assertThat(refused).containsEntry("type", "continuation.done").containsEntry("status", "failed");
      assertThat(((Map<?, ?>) refused.get("failure")).get("code")).isEqualTo("overloaded");

      reply.emit(" upon a time.").complete();
      assertThat(running.nextEvent()).containsEntry("type", "continuation.delta");
      assertThat(running.nextEvent()).containsEntry("type", "continuation.done").containsEntry("status", "completed");
      assertThat(running.awaitClose().getCode()).isEqualTo(CloseStatus.GOING_AWAY.getCode());
      shutdown.get(10, TimeUnit.SECONDS);
    } finally {
      context.close();
    }
  }

  @Test
  void aOneShotTurnStillRunningAtTheDrainTimeoutEndsWithAnErrorAndAFailedDone() throws Exception {
    ConfigurableApplicationContext context = service("1s");
    try {
      int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
      PuppetEngine.Reply reply = context.getBean(PuppetEngine.class).expectReply();
      CompletableFuture<List<String>> response =
          WebClient.create("http://localhost:" + port)
              .post()
              .uri("/v1/continue")
              .headers(h -> h.setBearerAuth(KEY))
              .contentType(MediaType.APPLICATION_JSON)
              .accept(MediaType.APPLICATION_NDJSON)
              .bodyValue(
                  "{\"protocol_version\":1,\"turn_id\":\"t1\",\"history\":[],\"user_text\":\"Tell me a story.\","
                      + "\"opener_words\":[\"Once\"]}")
              .retrieve()
              .bodyToFlux(String.class)
              .collectList()
              .toFuture();
      reply.request(Duration.ofSeconds(5));
      reply.emit(" upon"); // and never more: the turn outlives the drain timeout

      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(context::close);

      List<String> lines = response.get(10, TimeUnit.SECONDS);
      assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
      assertThat(lines.get(lines.size() - 2)).contains("\"type\":\"error\"").contains("\"code\":\"overloaded\"");
      assertThat(lines.get(lines.size() - 1))
          .contains("\"type\":\"continuation.done\"")
          .contains("\"status\":\"failed\"");
      assertThat(reply.cancelledWithin(Duration.ofSeconds(5))).isTrue();
      shutdown.get(10, TimeUnit.SECONDS);
    } finally {
      context.close();
    }
  }
}

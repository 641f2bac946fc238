package dev.overture.cloud.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.embedded.EmbeddedEngine;
import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.SyntheticModels;
import dev.overture.cloud.testing.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real service for the hostile-client suite: on a random loopback port, with the embedded
 * engine on a tiny synthetic MoE (a 256-token context, like the bundled model), short timers, and
 * a low event rate so that floods end quickly. Opener verification is off (every opener is
 * accepted), so that a fresh session's turn always runs to its end. Every subclass shares one
 * application context.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=embedded",
      "overture.embedded.threads=1",
      "overture.embedded.context-length=256",
      "overture.verify.enabled=false",
      "overture.security.api-keys=" + HostileService.KEY,
      "overture.security.requests-per-second=1000",
      "overture.security.burst=1000",
      "overture.handoff.max-events-per-second=50",
      "overture.handoff.max-output-tokens=8",
      // Short enough that a half-open client is closed within the test, long enough that a
      // well-behaved client stalled by a busy machine is not.
      "overture.handoff.ping-interval=1s",
      "overture.handoff.idle-timeout=3s",
      "overture.security.auth-failure-burst=20",
      // No refill to speak of: a throttled address stays throttled for the rest of a test, so a token
      // refilled between two requests cannot turn an expected 429 into a 401.
      "overture.security.auth-failures-per-second=0.01",
      "overture.security.request-read-timeout=3s",
      "server.netty.idle-timeout=3s",
    })
@AutoConfigureWebTestClient
abstract class HostileService {

  static final String KEY = "hostile-key-0123456789";
  private static final Path MODEL = writeModel();

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;
  @Autowired EmbeddedEngine engine;

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) {
    registry.add("overture.embedded.model-path", MODEL::toString);
  }

  private static Path writeModel() {
    try {
      Path directory = Files.createTempDirectory("overture-hostile");
      directory.toFile().deleteOnExit();
      Path model = SyntheticModels.write(directory);
      model.toFile().deleteOnExit();
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void modelLoaded() throws InterruptedException {
    SyntheticModels.awaitLoaded(engine);
  }

  /** A new connection starts a session and runs a turn to its end: nothing was left broken. */
  void aFreshSessionWorks() {
    try (WsClient client = WsClient.connect(port, KEY)) {
      Device device = new Device();
      device.open(client);
      device.committedTurn(client, "t1", "Do you like music?", List.of("Sure,", " I"));
      assertThat(client.nextEvent()).containsEntry("type", "opener.accept");
      Map<String, Object> event = client.nextEvent();
      while ("continuation.delta".equals(event.get("type"))) {
        event = client.nextEvent();
      }
      assertThat(event).containsEntry("type", "continuation.done");
      assertThat(event.get("status")).isIn("completed", "truncated");
    }
  }

  /** How often {@code overture.errors} counted {@code code}. */
  double errors(String code) {
    var counter = meters.find("overture.errors").tag("code", code).counter();
    return counter == null ? 0 : counter.count();
  }
}

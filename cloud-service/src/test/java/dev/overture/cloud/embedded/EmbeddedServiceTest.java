package dev.overture.cloud.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.SyntheticModels;
import dev.overture.cloud.testing.WsClient;
import dev.overture.protocol.Words;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service with {@code overture.engine.kind=embedded} on a tiny synthetic model. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=embedded",
      "overture.security.api-keys=" + EmbeddedServiceTest.KEY,
      "overture.embedded.threads=2",
      "overture.embedded.context-length=256",
      "overture.handoff.max-output-tokens=12",
    })
class EmbeddedServiceTest {

  static final String KEY = "embedded-key-0123456789";

  @LocalServerPort int port;
  @Autowired EmbeddedEngine engine;

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) throws Exception {
    Path directory = Files.createTempDirectory("overture-embedded-service");
    Path model = SyntheticModels.write(directory);
    registry.add("overture.embedded.model-path", model::toString);
  }

  @Test
  void aTurnIsScoredAndContinuedByTheModelInProcess() throws InterruptedException {
    SyntheticModels.awaitLoaded(engine);
    try (WsClient client = WsClient.connect(port, KEY)) {
      Device device = new Device();
      device.open(client);
      List<String> opener = List.of("Sure,", " I", " do");
      device.committedTurn(client, "t1", "Do you like music?", opener);
      Map<String, Object> verdict = client.nextEvent();
      assertThat(verdict.get("type")).isIn("opener.accept", "opener.rewind", "opener.repair");
      if ("opener.rewind".equals(verdict.get("type"))) {
        client.send(device.ack("t1", ((Number) verdict.get("keep_words")).intValue()));
      }
      StringBuilder continuation = new StringBuilder();
      Map<String, Object> event = client.nextEvent();
      while ("continuation.delta".equals(event.get("type"))) {
        continuation.append(event.get("text"));
        event = client.nextEvent();
      }
      assertThat(event).containsEntry("type", "continuation.done");
      assertThat(event.get("status")).isIn("completed", "truncated");
      assertThat(((Map<?, ?>) event.get("usage")).get("input_tokens")).isNotEqualTo(0);
      if (continuation.length() > 0 && !"opener.rewind".equals(verdict.get("type"))) {
        // After the opener's last word a continuation starts a new word or adds punctuation.
        assertThat(Character.isLetterOrDigit(continuation.codePointAt(0))).isFalse();
      }
      assertThat(Words.count(continuation)).isLessThanOrEqualTo(12);
    }
  }
}

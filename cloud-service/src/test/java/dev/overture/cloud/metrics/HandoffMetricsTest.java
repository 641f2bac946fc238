package dev.overture.cloud.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.PuppetEngine;
import dev.overture.cloud.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The service's meters, as Prometheus scrapes them, after one turn and one refused frame. */
@HandoffServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoffMetricsTest {

  @LocalServerPort int port;
  @Autowired WebTestClient web;
  @Autowired PuppetEngine puppet;

  private String scrape;

  @BeforeAll
  void oneTurnThenScrape() {
    puppet.reset();
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      Device device = new Device();
      device.open(client);
      device.committedTurn(client, "t1", "Hello?", List.of("Hi"));
      client.nextEvent(); // accept
      client.nextEvent(); // delta
      client.nextEvent(); // done
      client.send("{\"type\":\"input.final\",\"event_id\":\"x\",\"seq\":99,\"turn_id\":\"t1\",\"text\":\"a\"}");
      client.nextEvent(); // sequence_mismatch
    }
    scrape = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
  }

  @Test
  void turnsAreCountedByStatus() {
    assertThat(scrape).containsPattern("overture_turns_total\\{[^}]*status=\"completed\"[^}]*} [1-9]");
  }

  @Test
  void verdictsAreCountedByKind() {
    assertThat(scrape).containsPattern("overture_verdicts_total\\{[^}]*kind=\"accept\"[^}]*} [1-9]");
  }

  @Test
  void errorsAreCountedByCode() {
    assertThat(scrape).containsPattern("overture_errors_total\\{[^}]*code=\"sequence_mismatch\"[^}]*} [1-9]");
  }

  @Test
  void theTimeFromCommitToFirstWordIsATimer() {
    assertThat(scrape).containsPattern("overture_turn_first_word_seconds_count(\\{[^}]*})? [1-9]");
  }

  @Test
  void generationSpeedIsADistribution() {
    assertThat(scrape).containsPattern("overture_continuation_tokens_per_second_count(\\{[^}]*})? [1-9]");
  }

  @Test
  void openSessionsAndTheEngineQueueAreGauges() {
    assertThat(scrape).contains("overture_sessions_open").contains("overture_engine_queue_length").contains("overture_engine_active_turns");
  }
}

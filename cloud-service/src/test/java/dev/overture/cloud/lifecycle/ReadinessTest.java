package dev.overture.cloud.lifecycle;

import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.PuppetEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Readiness follows the engine; liveness does not. */
@HandoffServiceTest
class ReadinessTest {

  @Autowired WebTestClient web;
  @Autowired PuppetEngine puppet;

  @AfterEach
  void ready() {
    puppet.ready(true);
  }

  @Test
  void readinessIsDownUntilTheEngineIsReady() {
    puppet.ready(false);
    web.get().uri("/actuator/health/readiness").exchange()
        .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectBody().jsonPath("$.status").isEqualTo("DOWN");
    puppet.ready(true);
    web.get().uri("/actuator/health/readiness").exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
  }

  @Test
  void livenessIsUpWhileTheEngineLoads() {
    puppet.ready(false);
    web.get().uri("/actuator/health/liveness").exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
  }

  @Test
  void theEngineHealthNamesTheEngineAndModel() {
    web.get().uri("/actuator/health/readiness").exchange()
        .expectBody()
        .jsonPath("$.components.engine.details.kind").isEqualTo("puppet")
        .jsonPath("$.components.engine.details.model").isEqualTo("puppet-model");
  }
}

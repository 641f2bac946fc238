package dev.overture.cloud.lifecycle;

import dev.overture.cloud.embedded.EmbeddedEngine;
import dev.overture.cloud.engine.ContinuationEngine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code engine}, part of the readiness group: DOWN until the engine can take
 * work (the embedded model is loaded, the upstream is configured), with the load failure if any.
 */
@Component("engine")
final class EngineHealthIndicator implements HealthIndicator {

  private final ContinuationEngine engine;

  EngineHealthIndicator(ContinuationEngine engine) {
    this.engine = engine;
  }

  @Override
  public Health health() {
    Health.Builder health = engine.ready() ? Health.up() : Health.down();
    health.withDetail("kind", engine.kind()).withDetail("model", engine.modelId());
    if (engine instanceof EmbeddedEngine embedded && embedded.loadFailure() != null) {
      health.withDetail("error", embedded.loadFailure().getMessage());
    }
    return health.build();
  }
}

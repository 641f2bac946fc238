package dev.overture.cloud.engine;

import dev.overture.cloud.embedded.EmbeddedEngine;
import dev.overture.cloud.embedded.EmbeddedProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the continuation engine by {@code overture.engine.kind}: {@code embedded} (the default)
 * here; {@code openai} is declared by the upstream engine's own configuration.
 */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

  /** The in-process model; it loads in the background and readiness waits for it. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "overture.engine.kind", havingValue = "embedded", matchIfMissing = true)
  EmbeddedEngine embeddedEngine(EmbeddedProperties properties) {
    return EmbeddedEngine.start(properties);
  }

  /**
   * {@code overture.engine.kv.caches} (KV caches allocated) and {@code
   * overture.engine.kv.evictions} (caches taken from idle conversations).
   */
  @Bean
  @ConditionalOnProperty(name = "overture.engine.kind", havingValue = "embedded", matchIfMissing = true)
  MeterBinder embeddedEngineMeters(EmbeddedEngine engine) {
    return registry -> {
      Gauge.builder("overture.engine.kv.caches", engine, EmbeddedEngine::liveCaches)
          .description("KV caches allocated by the embedded engine")
          .register(registry);
      FunctionCounter.builder("overture.engine.kv.evictions", engine, EmbeddedEngine::cacheEvictions)
          .description("KV caches taken from idle conversations")
          .register(registry);
    };
  }
}

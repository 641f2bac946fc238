package dev.overture.cloud.engine;

import dev.overture.lm.offload.OffloadStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;
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
      Gauge.builder("overture.offload.switch.rate", engine, EmbeddedEngine::expertSwitchRate)
          .description("Share of token steps at which a MoE layer's expert set changed")
          .register(registry);
      offloadCounter(registry, engine, "overture.offload.requests", "Experts the MoE layers asked for", OffloadStats::requests);
      offloadCounter(registry, engine, "overture.offload.hits", "Expert requests served by a resident expert", OffloadStats::hits);
      offloadCounter(registry, engine, "overture.offload.loads", "Experts loaded from the backing store", OffloadStats::loads);
      offloadCounter(registry, engine, "overture.offload.read.bytes", "Bytes of experts loaded", OffloadStats::bytesLoaded);
      FunctionCounter.builder("overture.offload.load.stall", engine, e -> seconds(e, OffloadStats::waitNanos))
          .description("Seconds the forward pass waited for expert loads")
          .baseUnit("seconds")
          .register(registry);
      offloadCounter(registry, engine, "overture.offload.prefetches", "Experts loaded ahead on a prediction", OffloadStats::prefetches);
      offloadCounter(registry, engine, "overture.offload.prefetch.used", "Prefetched experts resident when asked for", OffloadStats::prefetchUsed);
      offloadCounter(registry, engine, "overture.offload.prefetch.late", "Prefetched experts asked for while loading", OffloadStats::prefetchLate);
      offloadCounter(registry, engine, "overture.offload.prefetch.wasted", "Prefetched experts evicted unused", OffloadStats::prefetchWasted);
    };
  }

  private static void offloadCounter(MeterRegistry registry, EmbeddedEngine engine, String name, String description,
      ToLongFunction<OffloadStats> value) {
    FunctionCounter.builder(name, engine, e -> {
          OffloadStats stats = e.offloadStats();
          return stats == null ? 0 : value.applyAsLong(stats);
        })
        .description(description + " (0 when every expert is resident)")
        .register(registry);
  }

  private static double seconds(EmbeddedEngine engine, ToLongFunction<OffloadStats> nanos) {
    OffloadStats stats = engine.offloadStats();
    return stats == null ? 0 : nanos.applyAsLong(stats) / 1e9;
  }
}

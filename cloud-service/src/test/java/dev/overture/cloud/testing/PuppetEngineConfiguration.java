package dev.overture.cloud.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Supplies the {@link PuppetEngine} as the service's engine (with {@code overture.engine.kind=puppet}). */
@TestConfiguration(proxyBeanMethods = false)
public class PuppetEngineConfiguration {

  @Bean
  PuppetEngine puppetEngine() {
    return new PuppetEngine();
  }
}

package dev.overture.cloud.upstream;

import dev.overture.cloud.engine.ContinuationEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the {@code openai} engine when {@code overture.engine.kind=openai}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "overture.engine.kind", havingValue = "openai")
class OpenAiEngineConfiguration {
  @Bean
  ContinuationEngine openAiContinuationEngine(OpenAiEngineProperties properties) {
    return new OpenAiContinuationEngine(properties);
  }
}

package dev.overture.cloud.openai;

import dev.overture.cloud.admission.AdmissionControl;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.handoff.HandoffProperties;
import dev.overture.cloud.metrics.HandoffMetrics;
import dev.overture.cloud.security.SecurityProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The OpenAI-compatible routes, so that standard clients and load tools work against the service:
 * {@code POST /v1/chat/completions}, {@code GET /v1/models} and {@code GET /v1/models/{id}}. The
 * service's security filter guards them like every {@code /v1} path.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiApiConfiguration {
  @Bean
  RouterFunction<ServerResponse> openAiApiRoutes(
      ObjectProvider<ContinuationEngine> engine,
      AdmissionControl admission,
      HandoffProperties limits,
      SecurityProperties security,
      HandoffMetrics metrics) {
    ChatCompletionsHandler handler = new ChatCompletionsHandler(engine, admission, limits, security, metrics);
    return RouterFunctions.route()
        .POST("/v1/chat/completions", handler::chatCompletions)
        .GET("/v1/models", handler::models)
        .GET("/v1/models/{*model}", handler::model) // ids such as Qwen/Qwen2.5-7B-Instruct span segments
        .filter(handler::requireKey)
        .build();
  }
}

package dev.overture.cloud.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.engine.ContinuationEngine;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class OpenAiEngineConfigurationTest {
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(OpenAiEngineProperties.class)
  static class Properties {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withUserConfiguration(Properties.class, OpenAiEngineConfiguration.class);

  @Test
  void createsTheEngineFromPropertiesWhenKindIsOpenai() {
    runner.withPropertyValues(
            "overture.engine.kind=openai",
            "overture.engine.openai.base-url=http://127.0.0.1:8000",
            "overture.engine.openai.model=qwen",
            "overture.engine.openai.prefill=trailing-assistant",
            "overture.engine.openai.idle-timeout=3s",
            "overture.engine.openai.extra-body={\"top_k\": 20}",
            "overture.engine.openai.probe=false")
        .run(context -> {
          assertThat(context).hasSingleBean(ContinuationEngine.class);
          ContinuationEngine engine = context.getBean(ContinuationEngine.class);
          assertThat(engine.kind()).isEqualTo("openai");
          assertThat(engine.modelId()).isEqualTo("qwen");
          OpenAiEngineProperties properties = context.getBean(OpenAiEngineProperties.class);
          assertThat(properties.prefill()).isEqualTo(OpenAiEngineProperties.Prefill.TRAILING_ASSISTANT);
          assertThat(properties.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
          assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
  }

  @Test
  void createsNothingForAnotherKind() {
    runner.withPropertyValues("overture.engine.kind=embedded")
        .run(context -> assertThat(context).doesNotHaveBean(ContinuationEngine.class));
  }

  @Test
  void createsNothingWhenKindIsMissing() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ContinuationEngine.class));
  }

  @Test
  void failsStartupWithAClearMessageWhenTheModelIsMissing() {
    runner.withPropertyValues("overture.engine.kind=openai", "overture.engine.openai.base-url=http://127.0.0.1:8000")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("overture.engine.openai.model"));
  }
}

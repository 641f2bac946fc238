package dev.overture.cli;

import dev.overture.cloud.CloudServiceApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code overture serve}: runs the cloud handoff service (Spring Boot) in this JVM until it is
 * stopped (Ctrl-C or SIGTERM shut it down gracefully). Every argument is handed to Spring Boot, so
 * any property of {@code application.yaml} can be set: {@code --server.port=9000}.
 */
@Command(
    name = "serve",
    header = "Start the cloud service (handoff, continue, OpenAI, actuator).",
    mixinStandardHelpOptions = true,
    description = {
      "Start the cloud handoff service: WebSocket /v1/handoff, POST /v1/continue, the OpenAI-compatible "
          + "/v1/chat/completions and /v1/models, and /actuator/health and /actuator/prometheus.",
      "Arguments are Spring Boot properties, for example:",
      "  overture serve --server.port=9000 \\",
      "      --overture.embedded.model-path=models/overture-moe64-q8_0.gguf",
      "API keys come from --overture.security.api-keys=... or OVERTURE_SECURITY_API_KEYS.",
      "Every property is described in docs/operations.md."
    })
final class ServeCommand implements Callable<Integer> {

  @Unmatched List<String> properties = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    ConfigurableApplicationContext context =
        SpringApplication.run(CloudServiceApplication.class, properties.toArray(String[]::new));
    CountDownLatch closed = new CountDownLatch(1);
    context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
    if (context.isActive()) {
      closed.await(); // the shutdown hook closes the context gracefully
    }
    return 0;
  }
}

package dev.overture.cloud;

import dev.overture.cloud.embedded.EmbeddedEngine;
import dev.overture.cloud.embedded.EmbeddedProperties;
import dev.overture.cloud.engine.ContinuationEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The cloud service started inside another program on a random loopback port, with the embedded
 * engine: for the commands that show or measure the device agent against a real service ({@code
 * overture demo}, {@code chat}, {@code bench device}) and for end-to-end tests. Quiet (warnings
 * only), one generated API key, everything else as {@code application.yaml} has it unless the
 * properties say otherwise.
 */
public final class LocalCloudService implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final String apiKey;

  private LocalCloudService(ConfigurableApplicationContext context, String apiKey) {
    this.context = context;
    this.apiKey = apiKey;
  }

  /**
   * Starts the service and returns once it listens (the model may still be loading; the first
   * turn waits for it).
   *
   * @param properties Spring properties without the leading {@code --}, for example {@code
   *     overture.embedded.model-path} or {@code overture.verify.min-word-logprob}
   * @param engine wraps the embedded engine (to record or delay what it does), or null
   */
  public static LocalCloudService start(Map<String, String> properties, UnaryOperator<ContinuationEngine> engine) {
    String apiKey = "local-" + UUID.randomUUID();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("server.address", "127.0.0.1");
    all.put("server.port", "0");
    all.put("overture.security.api-keys", apiKey);
    all.put("logging.level.root", "WARN");
    all.put("spring.main.banner-mode", "off");
    all.put("spring.main.log-startup-info", "false");
    if (engine != null) {
      all.put("overture.engine.kind", "local-wrapped"); // neither built-in engine: the wrapper is registered below
    }
    all.putAll(properties);
    // As command-line arguments, so that they win over the service's own application.yaml.
    String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    SpringApplicationBuilder builder = new SpringApplicationBuilder(CloudServiceApplication.class).web(WebApplicationType.REACTIVE);
    if (engine != null) {
      builder.initializers(context -> {
        EmbeddedProperties embedded = Binder.get(context.getEnvironment()).bindOrCreate("overture.embedded", EmbeddedProperties.class);
        ((GenericApplicationContext) context).registerBean(ContinuationEngine.class,
            () -> engine.apply(EmbeddedEngine.start(embedded)), bd -> bd.setDestroyMethodName("close"));
      });
    }
    return new LocalCloudService(builder.run(args), apiKey);
  }

  public int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** The base URL devices connect to ({@code http://127.0.0.1:port}). */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The API key the service accepts. */
  public String apiKey() {
    return apiKey;
  }

  @Override
  public void close() {
    context.close();
  }
}

package dev.overture.cli.agent;

import dev.overture.cloud.CloudServiceApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cloud service started in this JVM on a random loopback port, with the bundled MoE, for the
 * commands that show the agent at work ({@code demo}, {@code chat}, {@code bench device}).
 */
public final class InProcessCloud implements AutoCloseable {

  /** The API key the in-process service accepts. */
  public static final String API_KEY = "overture-local-demo-key";

  private final ConfigurableApplicationContext context;

  private InProcessCloud(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /**
   * Starts the service on {@code modelPath}; {@code extra} are more Spring properties
   * ({@code --overture.verify.min-word-logprob=-4}).
   */
  public static InProcessCloud start(String modelPath, List<String> extra) {
    List<String> args = new ArrayList<>();
    args.add("--server.address=127.0.0.1");
    args.add("--server.port=0");
    args.add("--overture.security.api-keys=" + API_KEY);
    args.add("--overture.embedded.model-path=" + modelPath);
    args.add("--logging.level.root=WARN");
    args.add("--logging.level.dev.overture=WARN");
    args.add("--spring.main.banner-mode=off");
    args.add("--spring.main.log-startup-info=false");
    args.addAll(extra);
    ConfigurableApplicationContext context = new SpringApplicationBuilder(CloudServiceApplication.class)
        .web(WebApplicationType.REACTIVE)
        .run(args.toArray(new String[0]));
    return new InProcessCloud(context);
  }

  public int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** The base URL devices connect to. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    context.close();
  }
}

package dev.overture.replay.run;

import dev.overture.cloud.LocalCloudService;
import dev.overture.device.AgentMode;
import dev.overture.replay.network.NetworkProfile;
import dev.overture.replay.network.NetworkProxy;
import dev.overture.replay.trace.TraceConversation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs a {@link ReplayPlan}: the service (in this process unless the plan names one), a {@link
 * NetworkProxy} per profile, a pool of simulated devices per mode, and the load. Stops by itself:
 * every conversation is bounded in time and none starts after the plan's maximum duration.
 */
public final class ReplayRunner {

  private final ReplayPlan plan;

  public ReplayRunner(ReplayPlan plan) {
    this.plan = plan;
  }

  /** Runs the plan, showing a progress bar on {@code System.err} if {@code progress}. */
  public List<TurnSample> run(boolean progress) throws Exception {
    ConcurrentLinkedQueue<TurnSample> samples = new ConcurrentLinkedQueue<>();
    LocalCloudService local = null;
    String cloudUrl = plan.cloudUrl();
    String apiKey = plan.apiKey();
    try {
      if (cloudUrl == null) {
        local = LocalCloudService.start(Map.of(
            "overture.embedded.model-path", plan.moe().toString(),
            "overture.verify.min-word-logprob", String.valueOf(plan.minWordLogprob()),
            "overture.admission.max-concurrent-turns", String.valueOf(Math.max(4, plan.load().devices())),
            "overture.security.requests-per-second", "1000",
            "overture.security.burst", "1000"), null);
        cloudUrl = local.url();
        apiKey = local.apiKey();
      }
      int cloudPort = loopbackPort(cloudUrl, "--cloud");
      long total = (long) plan.turnsPerRun() * plan.modes().size() * plan.profiles().size();
      ProgressBar bar = progress
          ? new ProgressBarBuilder().setTaskName("replay").setInitialMax(total).setStyle(ProgressBarStyle.ASCII).continuousUpdate().build()
          : null;
      try {
        for (NetworkProfile profile : plan.profiles()) {
          long lifetime = plan.maxDuration().toMillis() * plan.modes().size() + TimeUnit.MINUTES.toMillis(10);
          try (NetworkProxy proxy = new NetworkProxy(cloudPort, profile, lifetime, plan.seed());
              NetworkProxy openAiProxy = plan.openAiUrl() == null ? null
                  : new NetworkProxy(loopbackPort(plan.openAiUrl(), "--openai-url"), profile, lifetime, plan.seed())) {
            for (String mode : plan.modes()) {
              if (bar != null) {
                bar.setExtraMessage(profile.name() + " " + mode);
              }
              String openAiBase = openAiProxy != null ? openAiProxy.url() : proxy.url();
              String openAiKey = openAiProxy != null ? plan.openAiKey() : apiKey;
              String key = apiKey;
              runMode(mode, profile, () -> assistant(mode, proxy.url(), key, openAiBase, openAiKey), sample -> {
                samples.add(sample);
                if (bar != null) {
                  bar.step();
                }
              });
            }
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
    return new ArrayList<>(samples);
  }

  /** Everything stays on this machine: the service and the baseline must listen on loopback. */
  static int loopbackPort(String url, String option) {
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"))) {
      throw new IllegalArgumentException(option + " must be a loopback URL (127.0.0.1, localhost or [::1]): the emulated network "
          + "relays only on this machine, got " + url);
    }
    if (uri.getPort() < 0) {
      throw new IllegalArgumentException(option + " needs an explicit port: " + url);
    }
    return uri.getPort();
  }

  @FunctionalInterface
  private interface AssistantFactory {
    Assistant create() throws Exception;
  }

  private Assistant assistant(String mode, String cloudUrl, String apiKey, String openAiUrl, String openAiKey) throws Exception {
    return switch (mode) {
      case "split" -> new AgentAssistant(plan.micro(), AgentMode.SPLIT, cloudUrl, apiKey, plan.speechRate());
      case "cloud-only" -> new AgentAssistant(plan.micro(), AgentMode.CLOUD_ONLY, cloudUrl, apiKey, plan.speechRate());
      case "device-only" -> new AgentAssistant(plan.micro(), AgentMode.DEVICE_ONLY, cloudUrl, apiKey, plan.speechRate());
      case "openai" -> new OpenAiAssistant(openAiUrl, openAiKey, plan.openAiModel(), 256);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
  }

  private void runMode(String mode, NetworkProfile profile, AssistantFactory factory, Consumer<TurnSample> samples) throws Exception {
    int devices = plan.load().devices();
    BlockingQueue<Assistant> pool = new ArrayBlockingQueue<>(devices);
    for (int i = 0; i < devices; i++) {
      Assistant assistant = factory.create();
      warmUp(assistant);
      pool.add(assistant);
    }
    ConversationDriver driver =
        new ConversationDriver(plan.speechRate(), profile.name(), plan.timelines(), plan.load() instanceof Load.Closed);
    ExecutorService users = Executors.newFixedThreadPool(devices, r -> {
      Thread t = new Thread(r, "replay-user");
      t.setDaemon(true);
      return t;
    });
    long deadline = System.nanoTime() + plan.maxDuration().toNanos();
    try {
      List<Future<?>> running = new ArrayList<>();
      List<Long> arrivals = arrivals();
      long start = System.nanoTime();
      for (int i = 0; i < plan.trace().size(); i++) {
        TraceConversation conversation = plan.trace().get(i);
        long intended = arrivals == null ? -1 : start + arrivals.get(i);
        if (intended > 0) {
          long wait = intended - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        if (System.nanoTime() > deadline) {
          break;
        }
        int number = i;
        running.add(users.submit(() -> {
          Assistant assistant = pool.take();
          if (System.nanoTime() > deadline) { // a closed loop queues every conversation at once
            pool.add(assistant);
            return null;
          }
          try {
            long late = intended > 0 ? Math.max(0, System.nanoTime() - intended) : 0;
            driver.play(assistant, conversation, late, number, samples);
          } finally {
            pool.add(assistant);
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(ConversationDriver.TURN_TIMEOUT_SECONDS * 20, TimeUnit.SECONDS);
      }
    } finally {
      users.shutdownNow();
      for (Assistant assistant : pool) {
        assistant.close();
      }
    }
  }

  /**
   * One unmeasured turn, so that the JIT has compiled the model code on the device and in the
   * service before the first measured turn (a cold first turn is a JVM artefact, not a latency).
   */
  private static void warmUp(Assistant assistant) throws Exception {
    try (Assistant.Session session = assistant.open(new dev.overture.device.AgentListener() {})) {
      session.partial("What is a word?");
      session.finalText("What is a word?").get(ConversationDriver.TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Intended start offsets in nanoseconds for the open loops; null for a closed loop. */
  private List<Long> arrivals() {
    List<Long> offsets = new ArrayList<>();
    if (plan.load() instanceof Load.Poisson p) {
      Random random = new Random(plan.seed());
      double t = 0;
      for (int i = 0; i < plan.trace().size(); i++) {
        offsets.add((long) (t * 1e9));
        t += -Math.log(1 - random.nextDouble()) / p.perSecond();
      }
      return offsets;
    }
    if (plan.load() instanceof Load.TraceTimes tt) {
      double first = plan.trace().get(0).arrivalSeconds();
      for (TraceConversation c : plan.trace()) {
        offsets.add((long) ((c.arrivalSeconds() - first) / tt.speedup() * 1e9));
      }
      return offsets;
    }
    return null;
  }
}

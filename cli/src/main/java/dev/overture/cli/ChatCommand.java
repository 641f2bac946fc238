package dev.overture.cli;

import dev.overture.cli.agent.AgentSetup;
import dev.overture.lm.BundledModels;
import dev.overture.replay.network.NetworkProxy;
import dev.overture.cloud.LocalCloudService;
import dev.overture.cloud.verify.VerifyProperties;
import dev.overture.cli.agent.TurnRecorder;
import dev.overture.cli.agent.TurnReport;
import dev.overture.device.AgentMode;
import dev.overture.device.TurnResult;
import dev.overture.device.opener.OpenerPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overture chat}: an interactive conversation through the device agent. Each typed line is
 * a user turn, "spoken" word by word as partial transcripts; each reply word is printed as it is
 * released, with its source and its time since the end of the user's input.
 */
@Command(
    name = "chat",
    header = "Chat through the device agent, word by word, the seam marked.",
    mixinStandardHelpOptions = true,
    description = {
      "Chat through the device agent: each line you type is a user turn (partial transcripts are simulated "
          + "word by word), each reply word is printed as it is released with its source and time since the end "
          + "of your input, and the seam between the device's opener and the cloud's continuation is marked.",
      "Without --cloud the cloud service runs in this process on the bundled MoE. End with Ctrl-D."
    })
final class ChatCommand implements Callable<Integer> {

  @Option(names = "--cloud", paramLabel = "URL", description = "A running cloud service (http://host:port); default: start one in-process.")
  String cloudUrl;

  @Option(names = "--api-key", description = "API key for --cloud (default: $OVERTURE_API_KEY).")
  String apiKey = System.getenv("OVERTURE_API_KEY");

  @Option(names = "--micro", description = "The device model (default: ${DEFAULT-VALUE}).")
  Path micro = BundledModels.path(BundledModels.MICRO);

  @Option(names = "--moe", description = "The in-process cloud's model (default: ${DEFAULT-VALUE}).")
  String moe = BundledModels.path(BundledModels.MOE).toString();

  @Option(names = "--mode", description = "split, cloud-only or device-only (default: ${DEFAULT-VALUE}).")
  String mode = "split";

  @Option(names = "--speech-rate", description = "Words per second the simulated voice speaks (default: ${DEFAULT-VALUE}).")
  double speechRate = 2.5;

  @Option(names = "--user-rate", description = "Words per second of the simulated user's speech (default: ${DEFAULT-VALUE}).")
  double userRate = 4.0;

  @Option(names = "--rtt", description = "Network round trip to the cloud in ms, emulated on loopback (default: ${DEFAULT-VALUE}).")
  long rttMillis = 100;

  @Option(names = "--grace", description = "Fallback grace in ms after the spoken text runs out (default: ${DEFAULT-VALUE}).")
  long graceMillis = 300;

  @Option(names = "--min-word-logprob", description = "In-process cloud: the verdict's threshold (default: ${DEFAULT-VALUE}, see docs/operations.md).")
  double threshold = Double.parseDouble(VerifyProperties.DEFAULT_MIN_WORD_LOGPROB);

  @Override
  public Integer call() throws Exception {
    AgentMode agentMode = AgentModes.parse(mode);
    if (!(userRate > 0) || Double.isInfinite(userRate)) {
      throw new IllegalArgumentException("--user-rate must be a positive number of words per second, got " + userRate);
    }
    LocalCloudService cloud = null;
    NetworkProxy link = null;
    String url = cloudUrl;
    String key = apiKey;
    try {
      if (url == null && agentMode != AgentMode.DEVICE_ONLY) {
        System.out.println("starting the cloud service in-process on " + moe + " ...");
        cloud = LocalCloudService.start(Map.of("overture.embedded.model-path", moe, "overture.verify.min-word-logprob", String.valueOf(threshold)), null);
        link = NetworkProxy.delaying(cloud.port(), rttMillis);
        url = "http://127.0.0.1:" + link.port();
        key = cloud.apiKey();
      }
      TurnRecorder recorder = new TurnRecorder(System.out);
      try (AgentSetup setup = new AgentSetup(micro, agentMode == AgentMode.DEVICE_ONLY ? null : url, key, agentMode, speechRate, userRate,
          Duration.ofMillis(graceMillis), OpenerPolicy.defaults(), recorder)) {
        if (agentMode != AgentMode.DEVICE_ONLY) {
          setup.warmUp("What is a word?"); // one hidden turn, so the first shown turn is not a JIT warm-up
        }
        System.out.println("mode " + mode + (url != null ? ", cloud " + (cloudUrl != null ? cloudUrl : "in-process, round trip " + rttMillis + " ms") : "")
            + ". Type a question; Ctrl-D ends.");
        System.out.println("(The bundled models answer follow-ups far worse than questions asked alone: later turns see the history.)");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> labels = new ArrayList<>();
        List<TurnResult> results = new ArrayList<>();
        for (String line; (line = prompt(in)) != null; ) {
          if (line.isBlank()) {
            continue;
          }
          TurnResult result = setup.say(line, -1);
          System.out.println();
          TurnReport.timeline(System.out, result, recorder);
          labels.add(line.trim());
          results.add(result);
        }
        if (!results.isEmpty()) {
          TurnReport.summary(System.out, labels, results);
        }
      }
      return 0;
    } finally {
      if (link != null) {
        link.close();
      }
      if (cloud != null) {
        cloud.close();
      }
    }
  }

  private static String prompt(BufferedReader in) throws java.io.IOException {
    System.out.print("\nyou> ");
    System.out.flush();
    String line = in.readLine();
    if (line != null && System.console() == null) {
      System.out.println(line); // piped input is not echoed by a terminal
    }
    return line;
  }
}

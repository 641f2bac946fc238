package dev.overture.replay;

import dev.overture.cloud.verify.VerifyProperties;
import dev.overture.lm.BundledModels;
import dev.overture.replay.imports.TraceImport;
import dev.overture.replay.metrics.ReplaySummary;
import dev.overture.replay.network.NetworkProfile;
import dev.overture.replay.report.ConsoleReport;
import dev.overture.replay.report.HtmlReport;
import dev.overture.replay.report.JsonReport;
import dev.overture.replay.run.Load;
import dev.overture.replay.run.ReplayPlan;
import dev.overture.replay.run.ReplayRunner;
import dev.overture.replay.run.TurnSample;
import dev.overture.replay.sample.SampleTraces;
import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceFile;
import dev.overture.replay.trace.TraceTurn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code overture replay}: run traces, make the sample traces, import public formats. */
@Command(
    name = "replay",
    header = "Replay conversation traces and report how fast the assistant feels.",
    mixinStandardHelpOptions = true,
    description = {
      "Replay conversation traces through real device agents, the service and an emulated network, "
          + "and report how fast the assistant feels (docs/latency-testing.md)."},
    subcommands = {ReplayCommand.Run.class, ReplayCommand.Sample.class, ReplayCommand.Import.class})
public final class ReplayCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      header = "Replay a trace per mode and network: a table, JSON and HTML.", description = {
      "Replay a trace in each mode over each network profile; print a table, write summary.json and report.html.",
      "Example (the headline experiment):",
      "  overture replay run --trace trace-replay/traces/heldout-questions.jsonl \\",
      "      --modes split,cloud-only,device-only \\",
      "      --networks rtt50,rtt150,rtt300,rtt600 --load closed:3 --out target/replay"})
  static final class Run implements Callable<Integer> {
    @Option(names = "--trace", required = true, description = "The trace (JSONL, docs/latency-testing.md).")
    Path trace;

    @Option(names = "--limit", description = "Replay at most this many conversations of the trace.")
    Integer limit;

    @Option(names = "--modes", split = ",", description = "split, cloud-only, device-only, openai (default: ${DEFAULT-VALUE}).")
    List<String> modes = List.of("split", "cloud-only");

    @Option(names = "--networks", split = ",", description = "lan, wifi, 4g, congested, flaky, rtt<ms>, custom:... (default: ${DEFAULT-VALUE}).")
    List<String> networks = List.of("4g");

    @Option(names = "--load", description = "closed:N, poisson:RATE[:DEVICES] or trace[:SPEEDUP[:DEVICES]] (default: ${DEFAULT-VALUE}).")
    String load = "closed:1";

    @Option(names = "--speech-rate", description = "Words per second of the simulated voice (default: ${DEFAULT-VALUE}).")
    double speechRate = 2.5;

    @Option(names = "--micro", description = "The device model (default: ${DEFAULT-VALUE}).")
    Path micro = BundledModels.path(BundledModels.MICRO);

    @Option(names = "--moe", description = "The in-process service's model (default: ${DEFAULT-VALUE}).")
    Path moe = BundledModels.path(BundledModels.MOE);

    @Option(names = "--cloud", description = "A running service on loopback (http://127.0.0.1:PORT); default: start one in-process.")
    String cloud;

    @Option(names = "--api-key", description = "API key for --cloud (default: $OVERTURE_API_KEY).")
    String apiKey = System.getenv("OVERTURE_API_KEY");

    @Option(names = "--min-word-logprob", description = "The in-process service's verdict threshold (default: ${DEFAULT-VALUE}).")
    double threshold = Double.parseDouble(VerifyProperties.DEFAULT_MIN_WORD_LOGPROB);

    @Option(names = "--openai-url", description = "Mode openai: an OpenAI-compatible server on loopback; default: the service's own /v1/chat/completions.")
    String openAiUrl;

    @Option(names = "--openai-model", description = "Mode openai: the model name (default: ${DEFAULT-VALUE}).")
    String openAiModel = "overture-moe-q8_0";

    @Option(names = "--openai-key", description = "Mode openai: the server's API key (default: $OPENAI_API_KEY).")
    String openAiKey = System.getenv("OPENAI_API_KEY");

    @Option(names = "--max-minutes", description = "No conversation starts after this many minutes per mode and network (default: ${DEFAULT-VALUE}).")
    double maxMinutes = 30;

    @Option(names = "--seed", description = "Seed of the network's randomness (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", description = "Folder for summary.json and report.html (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target/replay");

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
      List<TraceConversation> conversations = TraceFile.read(trace);
      if (limit != null) {
        if (limit < 1) {
          throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        conversations = conversations.subList(0, Math.min(limit, conversations.size()));
      }
      List<NetworkProfile> profiles = new ArrayList<>();
      for (String network : networks) {
        profiles.add(NetworkProfile.parse(network));
      }
      ReplayPlan plan = new ReplayPlan(conversations, modes, profiles, Load.parse(load), speechRate, micro, moe, cloud, apiKey, threshold,
          openAiUrl, openAiModel, openAiKey, Duration.ofSeconds((long) (maxMinutes * 60)), seed, 8);
      LocalDateTime started = LocalDateTime.now();
      List<TurnSample> samples = new ReplayRunner(plan).run(!noProgress);
      List<String> profileNames = new ArrayList<>();
      profiles.forEach(p -> profileNames.add(p.name()));
      ReplaySummary summary = new ReplaySummary(samples, profileNames, modes);
      ConsoleReport.print(System.out, summary);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("started", started.toString());
      run.put("trace", trace.toString());
      run.put("conversations", conversations.size());
      run.put("modes", String.join(",", modes));
      run.put("networks", String.join(",", networks));
      run.put("load", load);
      run.put("speech_rate_words_per_second", speechRate);
      run.put("micro", micro.toString());
      run.put("cloud", cloud == null ? "in-process, " + moe : cloud);
      run.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", JVM " + System.getProperty("java.version"));
      Files.createDirectories(out);
      JsonReport.write(out.resolve("summary.json"), summary, run);
      HtmlReport.write(out.resolve("report.html"), summary, run, speechRate);
      System.out.println();
      System.out.println("wrote " + out.resolve("summary.json") + " and " + out.resolve("report.html"));
      return 0;
    }
  }

  @Command(name = "sample", mixinStandardHelpOptions = true,
      header = "Build the sample traces from the held-out evaluation questions.", description = {
      "Build the sample traces from the held-out evaluation questions (run training/setup.sh first)."})
  static final class Sample implements Callable<Integer> {
    @Option(names = "--corpus", description = "The held-out sets (default: ${DEFAULT-VALUE}).")
    Path corpus = Path.of("training/out/corpus");

    @Option(names = "--out", description = "Where the traces go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("trace-replay/traces");

    @Option(names = "--per-set", description = "Questions from each held-out set (default: ${DEFAULT-VALUE}).")
    int perSet = 20;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Override
    public Integer call() throws Exception {
      Path questions = out.resolve("heldout-questions.jsonl");
      Path sessions = out.resolve("heldout-sessions.jsonl");
      TraceFile.write(questions, SampleTraces.questions(corpus, perSet, seed));
      TraceFile.write(sessions, SampleTraces.sessions(corpus, 20, 3, seed));
      System.out.println("wrote " + questions + " and " + sessions);
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      header = "Turn an Azure, Mooncake or ShareGPT trace into an Overture one.", description = {
      "Turn a public trace into an Overture trace: --azure (Azure LLM inference CSV) or --mooncake (JSONL) give arrival "
          + "times, with questions taken from --questions; --sharegpt gives conversations."})
  static final class Import implements Callable<Integer> {
    @Option(names = "--azure", description = "Azure LLM inference trace CSV.")
    Path azure;

    @Option(names = "--mooncake", description = "Mooncake trace JSONL.")
    Path mooncake;

    @Option(names = "--sharegpt", description = "ShareGPT-style JSON.")
    Path shareGpt;

    @Option(names = "--questions", description = "Trace whose user texts fill arrival-only imports (default: ${DEFAULT-VALUE}).")
    Path questions = BundledModels.inCheckout("trace-replay/traces/heldout-questions.jsonl");

    @Option(names = "--limit", description = "At most this many conversations (default: ${DEFAULT-VALUE}).")
    int limit = 200;

    @Option(names = "--rate", description = "ShareGPT: arrivals per second (default: ${DEFAULT-VALUE}).")
    double rate = 0.2;

    @Option(names = "--seed", description = "(default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Option(names = "--out", required = true, description = "The trace to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      int given = (azure != null ? 1 : 0) + (mooncake != null ? 1 : 0) + (shareGpt != null ? 1 : 0);
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
      }
      if (given != 1) {
        throw new IllegalArgumentException("give exactly one of --azure, --mooncake, --sharegpt");
      }
      List<TraceConversation> trace;
      if (shareGpt != null) {
        trace = TraceImport.shareGpt(shareGpt, limit, rate, seed);
      } else {
        List<String> users = new ArrayList<>();
        for (TraceConversation c : TraceFile.read(questions)) {
          for (TraceTurn t : c.turns()) {
            users.add(t.user());
          }
        }
        trace = azure != null ? TraceImport.azure(azure, users, limit, seed) : TraceImport.mooncake(mooncake, users, limit, seed);
      }
      TraceFile.write(out, trace);
      System.out.println("wrote " + trace.size() + " conversations to " + out);
      return 0;
    }
  }
}

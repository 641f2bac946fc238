package dev.overture.cli;

import dev.overture.cli.agent.AgentSetup;
import dev.overture.lm.BundledModels;
import dev.overture.replay.network.NetworkProxy;
import dev.overture.cloud.LocalCloudService;
import dev.overture.device.AgentListener;
import dev.overture.device.AgentMode;
import dev.overture.device.Conversation;
import dev.overture.device.OvertureAgent;
import dev.overture.device.ReplyWord;
import dev.overture.device.TurnResult;
import dev.overture.device.playback.SimulatedSpeaker;
import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.KernelSelection;
import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.PortableKernels;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overture bench device}: the device agent's latency. First, the time from the end of the
 * user's speech to the first reply word, on the bundled micro and on the reference micro shape
 * (random weights), with the portable and the Vector API kernels, with and without the
 * speculative opener. Then the seams: how often the cloud's first word (the bundled MoE, in this
 * process behind an emulated network) arrives after the opener has finished playing, at several
 * round trips.
 */
@Command(
    name = "device",
    header = "Device agent latency: first word, and seams per round trip.",
    mixinStandardHelpOptions = true,
    description = {
      "Device agent latency: end of speech to first word (p50/p99) on the bundled micro and the reference "
          + "micro shape, portable and Vector API kernels, with and without the speculative opener; then seams "
          + "(dead air before the cloud's first word) at several round trips with the bundled MoE in-process."
    })
final class BenchDeviceCommand implements Callable<Integer> {

  /** Questions the users of the benchmark "say"; half are words the bundled micro was taught. */
  static final List<String> QUESTIONS = List.of(
      "What does it mean to run?", "What is a city?", "What is a family?", "What is a school?",
      "What is a car?", "What is a number?", "What is a state?", "What is a church?",
      "What is a book?", "What is a game?", "What is a year?", "What is a government?",
      "What does it mean to know?", "What is a country?", "What is a man?", "What is a theremin?");

  @Option(names = "--turns", description = "Measured turns per first-word row (default: ${DEFAULT-VALUE}).")
  int turns = 40;

  @Option(names = "--warmup", description = "Unmeasured turns before each row (default: ${DEFAULT-VALUE}).")
  int warmup = 6;

  @Option(names = "--models", split = ",", description = "bundled and/or reference (default: ${DEFAULT-VALUE}).")
  List<String> models = List.of("bundled", "reference");

  @Option(names = "--kernels", split = ",", description = "portable and/or best (default: ${DEFAULT-VALUE}).")
  List<String> kernels = List.of("portable", "best");

  @Option(names = "--rtts", description = "Round trips in ms for the seam runs, comma-separated; none (or empty) skips them (default: ${DEFAULT-VALUE}).")
  String rttsOption = "50,150,300,450,600";

  /** The round trips of {@code --rtts}. */
  static List<Long> roundTrips(String option) {
    String text = option.strip();
    if (text.isEmpty() || text.equals("none")) {
      return List.of();
    }
    List<Long> trips = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      long rtt;
      try {
        rtt = Long.parseLong(part.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--rtts: '" + part.strip() + "' is not a number of milliseconds");
      }
      if (rtt < 0) {
        throw new IllegalArgumentException("--rtts: a round trip cannot be negative, got " + rtt);
      }
      trips.add(rtt);
    }
    return trips;
  }

  @Option(names = "--seam-turns", description = "Turns per round trip (default: ${DEFAULT-VALUE}).")
  int seamTurns = 10;

  @Option(names = "--speech-rate", description = "Words per second of the simulated voice in the seam runs (default: ${DEFAULT-VALUE}).")
  double speechRate = 2.5;

  @Option(names = "--no-first-word", description = "Skip the first-word runs (seams only).")
  boolean noFirstWord;

  @Option(names = "--no-faithful-copy", description = "Plain greedy decoding on the device, without the faithful-copy rule (to measure its cost side by side).")
  boolean noFaithfulCopy;

  @Option(names = "--micro", description = "The bundled micro model (default: ${DEFAULT-VALUE}).")
  Path micro = BundledModels.path(BundledModels.MICRO);

  @Option(names = "--moe", description = "The cloud model for the seam runs (default: ${DEFAULT-VALUE}).")
  Path moe = BundledModels.path(BundledModels.MOE);

  @Override
  public Integer call() throws Exception {
    List<Long> rtts = roundTrips(rttsOption); // before any work: a bad list fails at once
    PrintStream out = System.out;
    KernelSelection selection = KernelSelection.select();
    out.printf(Locale.ROOT, "overture bench device, %s, JVM %s %s, %d cores; %s%n", LocalDate.now(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), selection.describe());
    out.println();
    out.println("First word: end of speech to the first reply word (device-only mode, one conversation per turn; partials");
    out.println("one per word every 120 ms, the final 150 ms after the last one, as an end-pointer would). 'words': turns");
    out.println("whose reply had a word (a random-weight model often ends its reply at once); the percentiles are of those.");
    out.printf(Locale.ROOT, "%-10s %-10s %-12s %5s %9s %9s %9s %13s %s%n", "model", "kernels", "speculative", "words", "p50 ms", "p99 ms", "max ms", "draft reused", "tokens left (mean)");
    Path dir = Files.createTempDirectory("overture-bench-device");
    try {
      for (String modelName : noFirstWord ? List.<String>of() : models) {
        Path file = modelFile(modelName, dir);
        for (String kernelName : kernels) {
          Kernels k = "portable".equals(kernelName) ? new PortableKernels() : selection.kernels();
          if (!"portable".equals(kernelName) && k instanceof PortableKernels) {
            continue;
          }
          for (boolean speculative : new boolean[] {true, false}) {
            FirstWord row = firstWord(file, k, speculative);
            out.printf(Locale.ROOT, "%-10s %-10s %-12s %5d %9.2f %9.2f %9.2f %12.0f%% %.1f%n", modelName, k.name(), speculative ? "on" : "off",
                row.latency.getTotalCount(),
                row.latency.getValueAtPercentile(50) / 1e3, row.latency.getValueAtPercentile(99) / 1e3, row.latency.getMaxValue() / 1e3,
                100.0 * row.hits / turns, (double) row.tokensLeft / turns);
          }
        }
      }
    } finally {
      for (Path p : Files.list(dir).toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    }
    if (!rtts.isEmpty()) {
      seams(out, rtts);
    }
    return 0;
  }

  private Path modelFile(String name, Path dir) throws Exception {
    switch (name) {
      case "bundled":
        return micro;
      case "reference":
        // The reference shape with the bundled micro's byte-level BPE vocabulary (8,192 tokens
        // instead of 12,288): random weights then still produce words (about half the tokens start
        // one), where the synthetic vocabulary's pieces run together and rarely make a word.
        Path file = dir.resolve("micro-reference-q8_0.gguf");
        ModelShape r = ModelShape.microReference();
        try (dev.overture.lm.gguf.GgufFile donor = dev.overture.lm.gguf.GgufFile.open(micro)) {
          int vocab = donor.metadata().getStringArray("tokenizer.ggml.tokens").size();
          ModelShape shape = new ModelShape(r.architecture(), r.dim(), r.layers(), r.heads(), r.kvHeads(), r.ff(), vocab, r.experts(),
              r.expertsUsed(), r.tiedEmbeddings(), r.contextLength());
          System.err.printf(Locale.ROOT, "writing the reference micro shape (%.1fM parameters, random weights, Q8_0, the bundled vocabulary)...%n",
              shape.parameters() / 1e6);
          new SyntheticModelWriter(shape, GgmlType.Q8_0, 1).withTokenizerOf(donor.metadata()).write(file);
        }
        return file;
      default:
        throw new IllegalArgumentException("--models takes bundled and/or reference, not '" + name + "'");
    }
  }

  private record FirstWord(Histogram latency, int hits, long tokensLeft) {}

  private FirstWord firstWord(Path file, Kernels kernels, boolean speculative) throws Exception {
    Histogram latency = new Histogram(3_600_000_000L, 3);
    int hits = 0;
    long tokensLeft = 0;
    try (OvertureAgent agent = OvertureAgent.builder().microModel(file).kernels(kernels).mode(AgentMode.DEVICE_ONLY)
        .speculativeOpener(speculative).faithfulCopy(!noFaithfulCopy).build()) {
      for (int i = 0; i < warmup + turns; i++) {
        FirstWordListener listener = new FirstWordListener();
        Conversation conversation = agent.newConversation(listener);
        try {
          TurnResult result = AgentSetup.speak(conversation, QUESTIONS.get(i % QUESTIONS.size()), 120, 150).get(120, TimeUnit.SECONDS);
          if (i >= warmup && listener.first.isDone()) {
            latency.recordValue(Math.max(1, listener.first.get() / 1_000));
            hits += result.metrics().speculativeHit() ? 1 : 0;
            tokensLeft += result.metrics().prefillTokensAtEnd();
          }
        } finally {
          conversation.close();
        }
      }
    }
    return new FirstWord(latency, hits, tokensLeft);
  }

  private static final class FirstWordListener implements AgentListener {
    final CompletableFuture<Long> first = new CompletableFuture<>();

    @Override
    public void onWord(ReplyWord word) {
      first.complete(word.sinceEndOfSpeechNanos());
    }
  }

  private void seams(PrintStream out, List<Long> rtts) throws Exception {
    out.println();
    out.printf(Locale.ROOT, "Seams: split mode, bundled micro and MoE (cloud in this process behind an emulated network), speech %.1f words/s,%n", speechRate);
    out.println("one conversation per turn opened a second before the user speaks; a seam is dead air between the opener's");
    out.println("last word and the cloud's first.");
    out.printf(Locale.ROOT, "%-8s %5s %6s %11s %11s %14s %14s %9s  %s%n", "rtt ms", "turns", "seams", "worst seam", "fallbacks", "cloud p50 ms", "cloud p99 ms", "opener", "why the device completed");
    try (LocalCloudService cloud = LocalCloudService.start(Map.of("overture.embedded.model-path", moe.toString()), null);
        NetworkProxy link = NetworkProxy.delaying(cloud.port(), 0);
        OvertureAgent agent = OvertureAgent.builder().microModel(micro).cloud("http://127.0.0.1:" + link.port(), cloud.apiKey())
            .speechRate(speechRate).faithfulCopy(!noFaithfulCopy).build()) {
      for (int warm = 0; warm < 3; warm++) {
        seamTurn(agent, QUESTIONS.get(warm), 0);
      }
      for (long rtt : rtts) {
        link.roundTrip(rtt);
        Histogram cloudWord = new Histogram(3_600_000_000L, 3);
        int seams = 0;
        int fallbacks = 0;
        long worst = 0;
        long openerWords = 0;
        java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
        for (int i = 0; i < seamTurns; i++) {
          TurnResult result = seamTurn(agent, QUESTIONS.get(i % QUESTIONS.size()), rtt);
          if (result.metrics().hadSeam()) {
            seams++;
            worst = Math.max(worst, result.metrics().seamNanos());
          }
          if (result.metrics().fallback() != null) {
            fallbacks++;
            reasons.merge(result.metrics().fallback(), 1, Integer::sum);
          }
          if (result.metrics().commitToFirstCloudWordNanos() > 0) {
            cloudWord.recordValue(result.metrics().commitToFirstCloudWordNanos() / 1_000);
          }
          openerWords += result.metrics().openerWords();
        }
        out.printf(Locale.ROOT, "%-8d %5d %6d %11s %11d %14.0f %14.0f %9.1f  %s%n", rtt, seamTurns, seams, worst == 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", worst / 1e6),
            fallbacks, cloudWord.getValueAtPercentile(50) / 1e3, cloudWord.getValueAtPercentile(99) / 1e3, (double) openerWords / seamTurns,
            reasons.isEmpty() ? "-" : reasons.toString());
      }
    }
  }

  private TurnResult seamTurn(OvertureAgent agent, String question, long rtt) throws Exception {
    try (SimulatedSpeaker speaker = new SimulatedSpeaker(speechRate, new AgentListener() {})) {
      Conversation conversation = agent.newConversation(speaker);
      speaker.attach(conversation);
      try {
        Thread.sleep(1_000 + 2 * rtt); // the app opens its session before the user speaks
        return AgentSetup.speak(conversation, question, 250, 150).get(120, TimeUnit.SECONDS);
      } finally {
        conversation.close();
      }
    }
  }
}

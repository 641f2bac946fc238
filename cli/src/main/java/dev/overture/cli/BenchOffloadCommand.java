package dev.overture.cli;

import dev.overture.lm.BundledModels;
import dev.overture.lm.ExpertRouter;
import dev.overture.lm.ExpertSource;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.LoadOptions;
import dev.overture.lm.Sampler;
import dev.overture.lm.SamplingConfig;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.chat.ChatMessage;
import dev.overture.lm.offload.AdaptiveTopKRouter;
import dev.overture.lm.offload.CacheAwareRouter;
import dev.overture.lm.offload.CacheSimulator;
import dev.overture.lm.offload.DirectExpertSource;
import dev.overture.lm.offload.ExpertBudget;
import dev.overture.lm.offload.ExpertCache;
import dev.overture.lm.offload.LayerAllocation;
import dev.overture.lm.offload.LinkModel;
import dev.overture.lm.offload.OffloadStats;
import dev.overture.lm.offload.ReplacementPolicy;
import dev.overture.lm.offload.RoutingTrace;
import dev.overture.lm.offload.StickyRouter;
import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceFile;
import dev.overture.replay.trace.TraceTurn;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overture bench offload}: expert offloading on a MoE model. Records a routing trace over
 * held-out text (the sample trace's questions and gold answers), replays it through every resident
 * budget and replacement policy with Belady's optimum as the bound, plots hit rate against cache
 * size, then decodes for real at a few budgets to measure tokens/s against all experts resident.
 */
@Command(
    name = "offload",
    header = "Expert offloading: hit rates, bytes, routing and decode speed.",
    mixinStandardHelpOptions = true,
    description = {
      "Expert offloading: a routing trace over held-out text replayed through every budget and policy "
          + "(LRU, LFU, shallow-first LRU, Belady's optimum), a hit-rate plot, and real decode speed at some budgets."
    })
final class BenchOffloadCommand implements Callable<Integer> {

  @Option(names = "--model", description = "The MoE model (default: ${DEFAULT-VALUE}).")
  Path model = BundledModels.path(BundledModels.MOE);

  @Option(names = "--text", description = "Held-out text: a replay trace whose questions and gold answers are run (default: ${DEFAULT-VALUE}).")
  Path text = BundledModels.inCheckout("trace-replay/traces/heldout-questions.jsonl");

  @Option(names = "--decode-tokens", description = "Tokens generated per prompt in the speed runs (default: ${DEFAULT-VALUE}).")
  int decodeTokens = 48;

  @Option(names = "--speed-prompts", description = "Prompts per speed run (default: ${DEFAULT-VALUE}).")
  int speedPrompts = 6;

  @Option(names = "--link", description = "Emulated link for the speed runs besides none: nvme, ufs, pcie (default: ${DEFAULT-VALUE}).")
  String link = "nvme";

  @Option(names = "--loaders", description = "Loader threads of the expert cache: a layer's misses load concurrently (0: one after the other on the forward pass's thread; default: ${DEFAULT-VALUE}).")
  int loaders = ExpertCache.DEFAULT_LOADERS;

  @Option(names = "--out", description = "Where the trace and the plot go (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target/offload");

  @Override
  public Integer call() throws Exception {
    PrintStream o = System.out;
    if (stickyCosts.length == 0) {
      throw new IllegalArgumentException("--sticky-costs: give at least one switching cost");
    }
    for (double cost : stickyCosts) {
      if (!(cost >= 0 && cost <= 1)) {
        throw new IllegalArgumentException("--sticky-costs: a switching cost is a share of the router's mass, in [0, 1]; got " + cost);
      }
    }
    Files.createDirectories(out);
    List<int[]> prompts = new ArrayList<>();
    List<Integer> answerStarts = new ArrayList<>();
    RoutingTrace trace;
    long expertBytes;
    int experts;
    int layers;
    try (LanguageModel lm = LanguageModel.load(model)) {
      if (!lm.config().isMoe()) {
        throw new IllegalArgumentException(model + " is not a Mixture-of-Experts model");
      }
      layers = lm.config().blockCount();
      experts = lm.config().expertCount();
      expertBytes = lm.expertSource().expertHeapBytes();
      ChatFormat format = ChatFormat.fromGguf(lm.file().metadata(), lm.tokenizer());
      for (TraceConversation c : TraceFile.read(text)) {
        for (TraceTurn t : c.turns()) {
          if (t.gold() != null) {
            prompts.add(format.encodeContinuation(lm.tokenizer(), List.of(ChatMessage.user(t.user()), ChatMessage.assistant(t.gold()))));
            answerStarts.add(format.encodeContinuation(lm.tokenizer(), List.of(ChatMessage.user(t.user()), ChatMessage.assistant(""))).length);
          }
        }
      }
      trace = new RoutingTrace(layers, experts, lm.config().expertUsedCount());
      try (InferenceSession session = lm.newSession(SessionOptions.defaults().withContextLength(lm.config().contextLength()))) {
        session.setRoutingObserver(trace.recorder());
        for (int[] prompt : prompts) {
          session.rollback(0);
          session.prefill(prompt);
        }
      }
    }
    trace.write(out.resolve("routing.ovrt"));
    o.printf(Locale.ROOT, "overture bench offload, %s, %s: %d layers x %d experts (top-%d), %.2f MiB per expert; %d cores, JVM %s%n",
        LocalDate.now(), model.getFileName(), layers, experts, trace.used(), expertBytes / 1048576.0, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    o.printf(Locale.ROOT, "routing trace: %d tokens of held-out text (%d questions with their gold answers), switch rate %.1f%% (the share of tokens at which a layer's expert set changes)%n%n",
        trace.tokens(), prompts.size(), 100 * CacheSimulator.replay(trace, new int[layers], ReplacementPolicy.LRU).switchRate());

    String[] names = {"LRU", "LFU", "LRU shallow-first", "Belady (bound)"};
    o.printf(Locale.ROOT, "%-14s %-20s %9s %13s %16s %18s%n", "resident", "policy", "hit rate", "loads/token", "MiB read/token", "misses/layer/token");
    double[] x = new double[experts + 1];
    double[][] y = new double[names.length][experts + 1];
    for (int perLayer = 0; perLayer <= experts; perLayer++) {
      x[perLayer] = perLayer;
      for (int p = 0; p < names.length; p++) {
        LayerAllocation allocation = p == 2 ? LayerAllocation.SHALLOW_FIRST : LayerAllocation.UNIFORM;
        ReplacementPolicy policy = p == 1 ? ReplacementPolicy.LFU : p == 3 ? ReplacementPolicy.BELADY : ReplacementPolicy.LRU;
        int[] capacities = ExpertBudget.parse(perLayer + "/layer").capacities(layers, experts, expertBytes, allocation);
        CacheSimulator.Result r = CacheSimulator.replay(trace, capacities, policy);
        y[p][perLayer] = 100 * r.hitRate();
        if (!printedRow(perLayer, experts)) {
          continue;
        }
        o.printf(Locale.ROOT, "%-14s %-20s %8.1f%% %13.2f %16.2f %18.3f%n", String.format(Locale.ROOT, "%d/layer (%.1f%%)", perLayer, 100.0 * perLayer / experts),
            names[p], 100 * r.hitRate(), r.loadsPerToken(), r.loadsPerToken() * expertBytes / 1048576.0, r.missesPerLayerPerToken());
      }
    }
    if (experts > 16) {
      o.printf(Locale.ROOT, "(every budget is in the plot; printed: multiples of %d experts per layer)%n", experts / 16);
    }
    plot(x, y, names, experts);

    o.println();
    o.printf(Locale.ROOT, "Decode speed (greedy, %d prompts x %d tokens, LRU, uniform allocation; load time is what the forward pass waited):%n", speedPrompts, decodeTokens);
    o.printf(Locale.ROOT, "%-10s %-22s %10s %9s %12s %14s%n", "resident", "backing store", "tokens/s", "vs all", "hit rate", "load wait/tok");
    double allResident = speed(null, null, false, false, loaders, c -> null, prompts).tokensPerSecond;
    o.printf(Locale.ROOT, "%-10s %-22s %10.1f %9s %12s %14s%n", "all", "-", allResident, "1.00x", "-", "-");
    for (String budget : List.of("50%", "25%", "12.5%")) {
      for (String store : List.of("mapped file", "direct I/O", "mapped + " + link + " link")) {
        boolean direct = store.equals("direct I/O");
        LinkModel linkModel = store.startsWith("mapped +") ? LinkModel.parse(link) : LinkModel.none();
        speedRow(o, budget, store, direct, speed(ExpertBudget.parse(budget), linkModel, direct, false, loaders, c -> null, prompts), allResident);
      }
    }
    // The speed target is set with direct I/O, where every miss is a disk read: what prefetch and
    // cache-aware routing (candidates to rank 2k) recover of it.
    int k = trace.used();
    Function<ExpertCache, ExpertRouter> aware =
        c -> new CacheAwareRouter(c::isResident, CacheAwareRouter.Rule.MAX_RANK, 2 * k);
    ExpertBudget atPolicyBudget = ExpertBudget.parse(policyBudget);
    // Loads one after the other on the forward pass's thread, the cache's behaviour before loader threads.
    speedRow(o, policyBudget, "direct, serial loads", true, speed(atPolicyBudget, LinkModel.none(), true, false, 0, c -> null, prompts), allResident);
    speedRow(o, policyBudget, "direct + prefetch", true, speed(atPolicyBudget, LinkModel.none(), true, true, loaders, c -> null, prompts), allResident);
    speedRow(o, policyBudget, "direct + aware<=" + 2 * k, true, speed(atPolicyBudget, LinkModel.none(), true, false, loaders, aware, prompts), allResident);
    speedRow(o, policyBudget, "direct + both", true, speed(atPolicyBudget, LinkModel.none(), true, true, loaders, aware, prompts), allResident);
    double speedCost = stickyCosts[0];
    speedRow(o, policyBudget, "direct + sticky " + costText(speedCost), true,
        speed(atPolicyBudget, LinkModel.none(), true, false, loaders, c -> new StickyRouter(speedCost), prompts), allResident);
    // A sticky set switches to the router's own top-k, which is what the cross-layer gate predicts: prefetch
    // should hide most of the loads a switch still costs.
    speedRow(o, policyBudget, "direct + sticky " + costText(speedCost) + " + prefetch", true,
        speed(atPolicyBudget, LinkModel.none(), true, true, loaders, c -> new StickyRouter(speedCost), prompts), allResident);
    // The machine drifts over a run (the same row varies by 10-15% between runs): the baseline again, to show by how much.
    double again = speed(null, null, false, false, loaders, c -> null, prompts).tokensPerSecond;
    o.printf(Locale.ROOT, "%-10s %-22s %10.1f %8.2fx %12s %14s%n", "all", "- (again, drift)", again, again / allResident, "-", "-");
    policies(o, prompts, answerStarts, layers, k, ExpertBudget.parse(policyBudget).capacities(layers, experts, expertBytes, LayerAllocation.UNIFORM));
    o.println();
    o.println("wrote " + out.resolve("routing.ovrt") + " and " + out.resolve("offload-hit-rate.png"));
    return 0;
  }

  private static void speedRow(PrintStream o, String budget, String store, boolean wantedDirect, Speed s, double allResident) {
    o.printf(Locale.ROOT, "%-10s %-22s %10.1f %8.2fx %11.1f%% %11.2f ms%n", budget, store + (wantedDirect && !s.direct ? " (refused)" : ""),
        s.tokensPerSecond, s.tokensPerSecond / allResident, 100 * s.stats.hitRate(), s.stats.waitNanos() / 1e6 / s.tokens);
  }

  @Option(names = "--policy-prompts", description = "Held-out questions (with gold answers) in the routing-policy runs (default: ${DEFAULT-VALUE}).")
  int policyPrompts = 20;

  @Option(names = "--policy-budget", description = "Resident budget of the routing-policy runs (default: ${DEFAULT-VALUE}).")
  String policyBudget = "25%";

  @Option(names = "--sticky-costs", split = ",", description = "Switching costs of the sticky routing policies compared; the first "
      + "also sets the speed run's \"direct + sticky\" row and the sticky + cache-aware policy (default: ${DEFAULT-VALUE}).")
  double[] stickyCosts = {0.3, 0.1, 0.5};

  /** One routing policy in the comparison. */
  private record Policy(String name, boolean prefetch, Function<ExpertCache, ExpertRouter> router) {}

  /** Per policy: what a teacher-forced pass over held-out text costs and how far it strays from exact routing. */
  private void policies(PrintStream o, List<int[]> prompts, List<Integer> answerStarts, int layers, int k, int[] capacities) throws Exception {
    List<Policy> policies = new ArrayList<>();
    policies.add(new Policy("exact", false, c -> null));
    policies.add(new Policy("exact + prefetch", true, c -> null));
    // Candidate ranks just past k, and twice k where k is large enough for that to differ.
    for (int rank : new TreeSet<>(List.of(k + 1, k + 2, 2 * k))) {
      policies.add(new Policy("cache-aware rank<=" + rank, false,
          c -> new CacheAwareRouter(c::isResident, CacheAwareRouter.Rule.MAX_RANK, rank)));
    }
    policies.add(new Policy("cache-aware p<=0.9", false, c -> new CacheAwareRouter(c::isResident, CacheAwareRouter.Rule.CUMULATIVE, 0.9)));
    for (double cost : Arrays.stream(stickyCosts).sorted().toArray()) {
      policies.add(new Policy("sticky cost " + costText(cost), false, c -> new StickyRouter(cost)));
    }
    policies.add(new Policy("sticky " + costText(stickyCosts[0]) + " + cache-aware " + (k + 1), false, c -> combined(c, stickyCosts[0], k + 1)));
    for (double p : new double[] {0.6, 0.8}) {
      policies.add(new Policy(String.format(Locale.ROOT, "adaptive top-k p>=%.1f", p), false, c -> new AdaptiveTopKRouter(p)));
    }
    List<int[]> text = prompts.subList(0, Math.min(policyPrompts, prompts.size()));
    o.println();
    o.printf(Locale.ROOT, "Routing policies at %s resident (LRU, %s link), teacher-forced over %d held-out questions with their answers, one token at a time:%n",
        policyBudget, link, text.size());
    o.printf(Locale.ROOT, "%-28s %9s %10s %8s %8s %11s %10s %9s %9s%n", "policy", "hit rate", "MiB/token", "x exact", "switch", "perplexity", "top-1 agr", "tokens/s",
        "prefetch");
    int[][] exactArgmax = null;
    double exactPerplexity = Double.NaN;
    RoutingTrace exactTrace = null;
    double exactHit = Double.NaN;
    double prefetchHit = Double.NaN;
    double exactBytesPerToken = Double.NaN;
    for (Policy policy : policies) {
      PolicyRun run = runPolicy(policy, text, answerStarts, exactArgmax, layers);
      if (exactArgmax == null) {
        exactArgmax = run.argmax;
        exactPerplexity = run.perplexity;
        exactTrace = run.trace;
        exactHit = run.stats.hitRate();
      } else if (policy.prefetch) {
        prefetchHit = run.stats.hitRate();
      }
      OffloadStats s = run.stats;
      double bytesPerToken = (double) s.bytesLoaded() / run.tokens;
      if (Double.isNaN(exactBytesPerToken)) {
        exactBytesPerToken = bytesPerToken;
      }
      o.printf(Locale.ROOT, "%-28s %8.1f%% %10.2f %7.2fx %7.1f%% %11.2f %9.1f%% %9.1f %9s%n", policy.name, 100 * s.hitRate(),
          bytesPerToken / 1048576.0, bytesPerToken / exactBytesPerToken, 100 * run.switchRate, run.perplexity, 100 * run.agreement, run.tokensPerSecond,
          policy.prefetch ? String.format(Locale.ROOT, "p%.0f r%.0f t%.0f", 100 * s.prefetchPrecision(), 100 * s.prefetchRecall(), 100 * s.prefetchTimeliness()) : "-");
    }
    o.printf(Locale.ROOT, "(perplexity and top-1 agreement over the answer tokens; exact routing's perplexity %.2f; prefetch: precision, recall, timeliness in %%)%n", exactPerplexity);
    // The bound on the very tokens the live runs decoded, so that the gap is measured on one text.
    double lru = CacheSimulator.replay(exactTrace, capacities, ReplacementPolicy.LRU).hitRate();
    double belady = CacheSimulator.replay(exactTrace, capacities, ReplacementPolicy.BELADY).hitRate();
    o.printf(Locale.ROOT, "exact routing on this text: LRU replay %.1f%%, Belady %.1f%%; live LRU %.1f%%, with prefetch %.1f%%: prefetch closes %.0f%% of the LRU-Belady gap%n",
        100 * lru, 100 * belady, 100 * exactHit, 100 * prefetchHit, 100 * (prefetchHit - exactHit) / (belady - exactHit));
  }

  private static String costText(double cost) {
    return BigDecimal.valueOf(cost).stripTrailingZeros().toPlainString();
  }

  /** Sticky sets, then cache-aware among the kept set's neighbours: both remedies at once. */
  private static ExpertRouter combined(ExpertCache cache, double cost, int rank) {
    ExpertRouter sticky = new StickyRouter(cost);
    ExpertRouter aware = new CacheAwareRouter(cache::isResident, CacheAwareRouter.Rule.MAX_RANK, rank);
    return (layer, p, k, chosen) -> {
      int n = sticky.route(layer, p, k, chosen);
      for (int i = 0; i < n; i++) {
        if (!cache.isResident(layer, chosen[i])) {
          return aware.route(layer, p, k, chosen);
        }
      }
      return n;
    };
  }

  private record PolicyRun(OffloadStats stats, long tokens, double switchRate, double perplexity, double agreement, double tokensPerSecond, int[][] argmax,
      RoutingTrace trace) {}

  private PolicyRun runPolicy(Policy policy, List<int[]> text, List<Integer> answerStarts, int[][] exactArgmax, int layers) throws Exception {
    AtomicReference<ExpertCache> cache = new AtomicReference<>();
    LoadOptions options = LoadOptions.defaults().withExperts((ExpertSource source) -> {
      ExpertCache c = ExpertCache.of(source, ExpertBudget.parse(policyBudget), LayerAllocation.UNIFORM, ReplacementPolicy.LRU, LinkModel.parse(link), policy.prefetch,
          loaders);
      cache.set(c);
      return c;
    });
    try (LanguageModel lm = LanguageModel.load(model, options);
        InferenceSession session = lm.newSession(SessionOptions.defaults().withContextLength(lm.config().contextLength()))) {
      RoutingTrace trace = new RoutingTrace(layers, lm.config().expertCount(), lm.config().expertUsedCount());
      session.setRoutingObserver(trace.recorder());
      int[][] argmax = new int[text.size()][];
      double logLikelihood = 0;
      long scored = 0;
      long decoded = 0;
      long agree = 0;
      long start = System.nanoTime();
      for (int p = 0; p < text.size(); p++) {
        int[] tokens = text.get(p);
        argmax[p] = new int[tokens.length - 1];
        session.rollback(0);
        session.setExpertRouter(policy.router.apply(cache.get())); // each question is a conversation of its own, as in training
        for (int i = 0; i < tokens.length - 1; i++) {
          float[] logits = session.decode(tokens[i]);
          argmax[p][i] = argmax(logits);
          decoded++;
          if (i + 1 >= answerStarts.get(p)) { // quality is judged on the answer, as in training/evaluate.py
            logLikelihood += logProbability(logits, tokens[i + 1]);
            scored++;
            if (exactArgmax != null && exactArgmax[p][i] == argmax[p][i]) {
              agree++;
            }
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      cache.get().close();
      return new PolicyRun(cache.get().stats(), decoded, CacheSimulator.replay(trace, new int[layers], ReplacementPolicy.LRU).switchRate(),
          Math.exp(-logLikelihood / scored), exactArgmax == null ? 1 : (double) agree / scored, decoded / seconds, argmax, trace);
    }
  }

  /** Every budget when there are few experts; with many, every sixteenth share (12.5%, 25%, 50% among them). */
  private static boolean printedRow(int perLayer, int experts) {
    return experts <= 16 || perLayer % (experts / 16) == 0;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double logProbability(float[] logits, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    return logits[token] - max - Math.log(sum);
  }

  private record Speed(double tokensPerSecond, OffloadStats stats, long tokens, boolean direct) {}

  private Speed speed(ExpertBudget budget, LinkModel link, boolean direct, boolean prefetch, int loaderThreads,
      Function<ExpertCache, ExpertRouter> router, List<int[]> prompts) throws Exception {
    AtomicReference<ExpertCache> cache = new AtomicReference<>();
    AtomicReference<DirectExpertSource> disk = new AtomicReference<>();
    LoadOptions defaults = LoadOptions.defaults();
    LoadOptions options = budget == null ? defaults : defaults.withExperts((ExpertSource mapped) -> {
      ExpertSource source = mapped;
      if (direct) {
        try {
          disk.set(DirectExpertSource.open(model, defaults.kernels().q8Layout()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        source = disk.get();
      }
      ExpertCache c = ExpertCache.of(source, budget, LayerAllocation.UNIFORM, ReplacementPolicy.LRU, link, prefetch, loaderThreads);
      cache.set(c);
      return c;
    });
    try (LanguageModel lm = LanguageModel.load(model, options);
        InferenceSession session = lm.newSession(SessionOptions.defaults().withContextLength(lm.config().contextLength()))) {
      Sampler sampler = new Sampler(SamplingConfig.greedy(), lm.config().vocabSize());
      long tokens = 0;
      long nanos = 0;
      for (int i = 0; i < speedPrompts + 1; i++) {
        int[] prompt = prompts.get(i % prompts.size());
        int[] question = Arrays.copyOf(prompt, Math.min(prompt.length, 24));
        session.rollback(0);
        if (cache.get() != null) {
          session.setExpertRouter(router.apply(cache.get())); // a fresh router per prompt, a conversation of its own
        }
        session.prefill(question);
        long start = System.nanoTime();
        int produced = session.generate(sampler, decodeTokens, Set.of(), t -> true);
        if (i > 0) { // the first prompt warms the JIT up
          nanos += System.nanoTime() - start;
          tokens += produced;
        }
      }
      OffloadStats stats = cache.get() == null ? new OffloadStats(0, 0, 0, 0, 0, 0, 0, 0, 0) : cache.get().stats();
      boolean wasDirect = disk.get() != null && disk.get().direct();
      if (cache.get() != null) {
        cache.get().close(); // its loader threads
      }
      if (disk.get() != null) {
        disk.get().close();
      }
      return new Speed(tokens / (nanos / 1e9), stats, tokens, wasDirect);
    }
  }

  private void plot(double[] x, double[][] y, String[] names, int experts) throws Exception {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(450).title("Hit rate against resident experts per layer (" + model.getFileName() + ")")
        .xAxisTitle("resident experts per layer (of " + experts + ")").yAxisTitle("hit rate, %").build();
    for (int p = 0; p < names.length; p++) {
      chart.addSeries(names[p], x, y[p]);
    }
    BitmapEncoder.saveBitmap(chart, out.resolve("offload-hit-rate.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}

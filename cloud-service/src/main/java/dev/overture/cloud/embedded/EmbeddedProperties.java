package dev.overture.cloud.embedded;

import dev.overture.lm.BundledModels;
import dev.overture.lm.offload.ExpertBudget;
import dev.overture.lm.offload.ExpertCache;
import dev.overture.lm.offload.LayerAllocation;
import dev.overture.lm.offload.LinkModel;
import dev.overture.lm.offload.ReplacementPolicy;
import dev.overture.lm.offload.RoutingChoice;
import dev.overture.lm.SamplingConfig;
import dev.overture.lm.SessionOptions;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process model ({@code overture.embedded.*}), used when {@code overture.engine.kind} is
 * {@code embedded}.
 *
 * @param modelPath the GGUF file
 * @param modelId the id reported to clients; empty for the file name without {@code .gguf}
 * @param threads engine threads: every prefill, scoring pass and generated token of every
 *     conversation runs on them, one token per turn at a time; 0 for one per CPU core
 * @param threadsPerSession threads that split one session's matrix products (lm-runtime's worker
 *     pool); 1 keeps each token on one engine thread, which serves many sessions best
 * @param contextLength KV cache capacity per conversation, in tokens (capped at the model's)
 * @param batchSize prompt tokens processed together during prefill
 * @param maxSessions live KV caches; the least recently used idle conversation loses its cache
 *     when another needs one, and re-prefills when it comes back
 * @param systemPrompt an optional system message put before every conversation
 * @param sampling how tokens are picked
 * @param offload which experts stay resident, and how the rest is loaded and routed
 */
@ConfigurationProperties("overture.embedded")
public record EmbeddedProperties(
    @DefaultValue("models/" + BundledModels.MOE) Path modelPath,
    @DefaultValue("") String modelId,
    @DefaultValue("0") int threads,
    @DefaultValue("1") int threadsPerSession,
    @DefaultValue("2048") int contextLength,
    @DefaultValue("32") int batchSize,
    @DefaultValue("32") int maxSessions,
    @DefaultValue("") String systemPrompt,
    @DefaultValue Sampling sampling,
    @DefaultValue Offload offload) {

  public EmbeddedProperties {
    // A relative path missing here is looked for in the checkout the launcher runs from, so that
    // ./overture serve finds the bundled model from any directory.
    modelPath = modelPath == null ? null : BundledModels.inCheckout(modelPath);
    if (threads < 0 || threadsPerSession < 1 || maxSessions < 1) {
      throw new IllegalArgumentException(
          "overture.embedded: threads >= 0, threads-per-session >= 1 and max-sessions >= 1 are required");
    }
    new SessionOptions(contextLength, batchSize, threadsPerSession); // validates them
  }

  /** Engine threads after resolving 0 to the number of cores. */
  public int engineThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** The options every KV cache is created with. */
  public SessionOptions sessionOptions() {
    return new SessionOptions(contextLength, batchSize, threadsPerSession);
  }

  /**
   * Expert offloading ({@code overture.embedded.offload.*}, docs/offloading.md); the defaults keep
   * every expert resident and route exactly.
   *
   * @param residentExperts the budget: {@code 25%}, {@code 2/layer}, {@code 24} or {@code 64MiB}
   * @param allocation {@code uniform} or {@code shallow-first}
   * @param replacement {@code lru} or {@code lfu}
   * @param prefetch load each next layer's predicted experts in the background
   * @param routing {@code exact}, {@code cache-aware}, {@code cache-aware-mass}, {@code sticky} or
   *     {@code adaptive}
   * @param routingParameter the policy's parameter (0 for its default)
   * @param directIo read experts with direct I/O, past the page cache, where the file system allows
   * @param link an emulated link for loads: {@code none}, {@code nvme}, {@code ufs}, {@code pcie}
   */
  public record Offload(
      @DefaultValue("100%") String residentExperts,
      @DefaultValue("uniform") String allocation,
      @DefaultValue("lru") String replacement,
      @DefaultValue("false") boolean prefetch,
      @DefaultValue("exact") String routing,
      @DefaultValue("0") double routingParameter,
      @DefaultValue("false") boolean directIo,
      @DefaultValue("none") String link,
      @DefaultValue("" + ExpertCache.DEFAULT_LOADERS) int loaders) {

    public Offload {
      // Fields are assigned after this block, so the checks take the parameters.
      ExpertBudget.parse(residentExperts);
      LayerAllocation.parse(allocation);
      ReplacementPolicy.parseOnline(replacement);
      RoutingChoice.of(routing, routingParameter);
      LinkModel.parse(link);
      if (loaders < 0) {
        throw new IllegalArgumentException("overture.embedded.offload.loaders must be 0 or more, got " + loaders);
      }
    }

    /** Every expert resident, exact routing: no offloading. */
    public static Offload none() {
      return new Offload("100%", "uniform", "lru", false, "exact", 0, false, "none", ExpertCache.DEFAULT_LOADERS);
    }

    /** Whether any expert is loaded on demand (a budget below all experts, or a changed backing store). */
    public boolean active() {
      return !(budget().kind() == ExpertBudget.Kind.SHARE && budget().value() >= 1) || prefetch || directIo || !"none".equals(link);
    }

    public ExpertBudget budget() {
      return ExpertBudget.parse(residentExperts);
    }

    public LayerAllocation allocationPolicy() {
      return LayerAllocation.parse(allocation);
    }

    public ReplacementPolicy replacementPolicy() {
      return ReplacementPolicy.parseOnline(replacement);
    }

    public RoutingChoice routingChoice() {
      return RoutingChoice.of(routing, routingParameter);
    }

    public LinkModel linkModel() {
      return LinkModel.parse(link);
    }
  }

  /**
   * Sampling defaults ({@code overture.embedded.sampling.*}); the filters apply in llama.cpp's
   * order.
   *
   * @param temperature 0 for greedy decoding
   * @param topK keep the k most likely tokens (0 = all)
   * @param topP nucleus sampling threshold (1 = off)
   * @param minP drop tokens less likely than min-p times the best (0 = off)
   * @param repetitionPenalty penalty on recently used tokens (1 = off)
   * @param repetitionWindow how many recent tokens the penalty looks at
   * @param seed the random seed of each reply, so that the same conversation gives the same reply
   */
  public record Sampling(
      @DefaultValue("0.7") float temperature,
      @DefaultValue("40") int topK,
      @DefaultValue("0.95") float topP,
      @DefaultValue("0.05") float minP,
      @DefaultValue("1.1") float repetitionPenalty,
      @DefaultValue("64") int repetitionWindow,
      @DefaultValue("42") long seed) {

    public Sampling {
      new SamplingConfig(temperature, topK, topP, minP, repetitionPenalty, repetitionWindow, seed); // validates
    }

    /** The lm-runtime sampling configuration. */
    public SamplingConfig config() {
      return new SamplingConfig(temperature, topK, topP, minP, repetitionPenalty, repetitionWindow, seed);
    }
  }
}

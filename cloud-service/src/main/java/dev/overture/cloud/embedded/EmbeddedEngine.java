package dev.overture.cloud.embedded;

import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.lm.ExpertSource;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.LoadOptions;
import dev.overture.lm.Sampler;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.kernel.KernelSelection;
import dev.overture.lm.offload.DirectExpertSource;
import dev.overture.lm.offload.ExpertCache;
import dev.overture.lm.offload.OffloadStats;
import dev.overture.lm.offload.RoutingChoice;
import dev.overture.lm.offload.SwitchCounter;
import dev.overture.lm.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code embedded} engine: the Mixture-of-Experts model in this process, through lm-runtime.
 *
 * <p>The model loads on a background thread when the engine is created; until it is loaded,
 * {@link #ready()} is false (readiness is DOWN) and conversations refuse work with {@code
 * EngineOverloadedException}. A failed load is logged and reported by {@link #loadFailure()}.
 *
 * <p>Threads: all model work runs on {@code overture.embedded.threads} engine threads. Each
 * conversation's work is serialized (its KV cache is single-threaded) and a generation takes one
 * token per turn on those threads, so that many conversations share them fairly. Nothing here
 * ever blocks a caller's thread.
 */
public final class EmbeddedEngine implements ContinuationEngine {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

  private final EmbeddedProperties properties;
  private final String modelId;
  private final ExecutorService threads;
  private final Function<LoadedModel, TokenPicker> pickers;
  private volatile LoadedModel loaded;
  /** The offloading cache, or null when every expert is resident. */
  private volatile ExpertCache experts;
  private volatile DirectExpertSource directSource;
  private final SwitchCounter switches = new SwitchCounter();
  private volatile Throwable loadFailure;
  private volatile boolean closed;

  private EmbeddedEngine(EmbeddedProperties properties, Function<LoadedModel, TokenPicker> pickers) {
    this.properties = properties;
    this.modelId = modelId(properties);
    this.threads = engineThreads(properties.engineThreads());
    this.pickers = pickers != null ? pickers : this::sampler;
  }

  /** Creates the engine and starts loading its model in the background. */
  public static EmbeddedEngine start(EmbeddedProperties properties) {
    EmbeddedEngine engine = new EmbeddedEngine(properties, null);
    Thread loader = new Thread(engine::load, "overture-model-loader");
    loader.setDaemon(true);
    loader.start();
    return engine;
  }

  /** Creates the engine and loads its model on the calling thread (tests, tools). */
  public static EmbeddedEngine load(EmbeddedProperties properties) throws IOException {
    return load(properties, null);
  }

  /** Like {@link #load(EmbeddedProperties)}, picking tokens with {@code pickers} (tests). */
  static EmbeddedEngine load(EmbeddedProperties properties, Function<LoadedModel, TokenPicker> pickers)
      throws IOException {
    EmbeddedEngine engine = new EmbeddedEngine(properties, pickers);
    engine.load();
    if (engine.loadFailure != null) {
      engine.close();
      throw new IOException("cannot load " + properties.modelPath(), engine.loadFailure);
    }
    return engine;
  }

  private void load() {
    long started = System.nanoTime();
    log.info("{}", KernelSelection.select().describe());
    try {
      if (!Files.isRegularFile(properties.modelPath())) {
        throw new IOException(
            "model file not found: "
                + properties.modelPath().toAbsolutePath()
                + " (set overture.embedded.model-path)");
      }
      EmbeddedProperties.Offload offload = properties.offload();
      LoadOptions defaults = LoadOptions.defaults();
      LanguageModel model = LanguageModel.load(properties.modelPath(),
          offload.active() ? defaults.withExperts(mapped -> offloadCache(mapped, defaults)) : defaults);
      RoutingChoice routing = offload.routingChoice();
      ExpertCache cache = experts;
      Tokenizer tokenizer = model.tokenizer();
      ChatFormat format = ChatFormat.fromGguf(model.file().metadata(), tokenizer);
      int contextLength = Math.min(properties.contextLength(), model.config().contextLength());
      KvCachePool caches =
          new KvCachePool(
              () -> {
                InferenceSession session = model.newSession(properties.sessionOptions());
                if (model.config().isMoe()) {
                  session.setExpertRouter(routing.newRouter(cache));
                  session.setRoutingObserver(switches.observer());
                }
                return session;
              },
              properties.maxSessions());
      PromptRenderer prompts =
          new PromptRenderer(format, tokenizer, contextLength, properties.systemPrompt());
      LoadedModel ready =
          new LoadedModel(model, tokenizer, prompts, TokenClasses.of(tokenizer), caches, contextLength);
      if (closed) {
        model.close();
        return;
      }
      loaded = ready;
      log.info(
          "engine embedded: {} loaded in {} ms ({} format, context {}, {} engine threads, up to {} KV caches)",
          model,
          (System.nanoTime() - started) / 1_000_000,
          format,
          contextLength,
          properties.engineThreads(),
          properties.maxSessions());
    } catch (IOException | RuntimeException e) {
      loadFailure = e;
      log.error("engine embedded: cannot load the model: {}", e.getMessage());
    }
  }

  /** The expert cache of {@code overture.embedded.offload}, over the file mapping or direct reads. */
  private ExpertCache offloadCache(ExpertSource mapped, LoadOptions options) {
    EmbeddedProperties.Offload offload = properties.offload();
    ExpertSource source = mapped;
    if (offload.directIo()) {
      try {
        DirectExpertSource direct = DirectExpertSource.open(properties.modelPath(), options.kernels().q8Layout());
        log.info("engine embedded: experts are read with {}", direct.direct() ? "direct I/O" : "ordinary reads (the file system refuses direct I/O)");
        directSource = direct;
        source = direct;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    ExpertCache cache = ExpertCache.of(source, offload.budget(), offload.allocationPolicy(), offload.replacementPolicy(), offload.linkModel(),
        offload.prefetch(), offload.loaders());
    log.info("engine embedded: offloading experts: {} resident ({} per layer), {}, prefetch {}, routing {}, link {}, {} loader threads",
        offload.budget(), java.util.Arrays.toString(cache.residentCapacities()), offload.replacementPolicy(), offload.prefetch(), offload.routingChoice(),
        offload.link(), offload.loaders());
    experts = cache;
    return cache;
  }

  /** The offloading cache's counters, or null when every expert is resident. */
  public OffloadStats offloadStats() {
    ExpertCache cache = experts;
    return cache == null ? null : cache.stats();
  }

  /** The share of token steps at which a MoE layer's expert set changed, or NaN. */
  public double expertSwitchRate() {
    return switches.rate();
  }

  @Override
  public String kind() {
    return "embedded";
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public boolean ready() {
    return loaded != null && !closed;
  }

  /** Why the model could not be loaded, or null. */
  public Throwable loadFailure() {
    return loadFailure;
  }

  /** KV caches allocated now, for metrics. */
  public int liveCaches() {
    LoadedModel model = loaded;
    return model == null ? 0 : model.caches().live();
  }

  /** KV caches taken from idle conversations so far, for metrics. */
  public long cacheEvictions() {
    LoadedModel model = loaded;
    return model == null ? 0 : model.caches().evictions();
  }

  @Override
  public void requireFits(ConversationContext context, String assistantPrefix) {
    LoadedModel model = model();
    if (model != null) {
      model.prompts().requireFits(context, assistantPrefix, model.replyReserve());
    }
  }

  @Override
  public int maxContextChars() {
    LoadedModel model = model();
    return model == null
        ? Integer.MAX_VALUE
        : Math.max(1, model.contextLength() - model.replyReserve() - model.prompts().templateTokens());
  }

  @Override
  public EngineConversation open(String conversationId) {
    return new EmbeddedConversation(this, conversationId);
  }

  /** The loaded model, or null while loading (or after a failed load or close). */
  LoadedModel model() {
    return closed ? null : loaded;
  }

  ExecutorService threads() {
    return threads;
  }

  /** A fresh token picker for one reply. */
  TokenPicker picker(LoadedModel model) {
    return pickers.apply(model);
  }

  private TokenPicker sampler(LoadedModel model) {
    return new Sampler(properties.sampling().config(), model.tokenizer().vocabSize())::sample;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    threads.shutdownNow();
    ExpertCache cache = experts;
    if (cache != null) {
      cache.close();
    }
    DirectExpertSource direct = directSource;
    if (direct != null) {
      try {
        direct.close();
      } catch (IOException e) {
        log.debug("closing the expert file: {}", e.getMessage());
      }
    }
    try {
      threads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LoadedModel model = loaded;
    if (model != null) {
      model.caches().close();
      try {
        model.model().close();
      } catch (IOException e) {
        log.warn("closing the model file failed: {}", e.getMessage());
      }
    }
  }

  private static String modelId(EmbeddedProperties properties) {
    if (!properties.modelId().isEmpty()) {
      return properties.modelId();
    }
    String file = properties.modelPath().getFileName().toString();
    return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
  }

  private static ExecutorService engineThreads(int count) {
    AtomicInteger number = new AtomicInteger();
    return new ThreadPoolExecutor(
        count,
        count,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), // bounded in practice: one queued task per conversation
        task -> {
          Thread thread = new Thread(task, "overture-engine-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}

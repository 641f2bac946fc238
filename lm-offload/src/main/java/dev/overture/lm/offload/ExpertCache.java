package dev.overture.lm.offload;

import dev.overture.lm.ExpertProvider;
import dev.overture.lm.ExpertRouter;
import dev.overture.lm.ExpertSource;
import dev.overture.lm.ExpertWeights;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Two tiers of experts: a resident set per layer bounded by a budget, and the backing store (the
 * model file, through its {@link ExpertSource}) from which a missing expert is decoded when the
 * router picks it. A full layer makes room by its {@link ReplacementPolicy}. Every load is counted
 * ({@link #stats()}); an optional {@link LinkModel} makes each load wait as long as a slower link
 * would.
 *
 * <p>Loads run on a pool of loader threads ({@code loaders}, I/O-bound, so more of them than
 * cores pays): once a layer's routing is known ({@link #willUse}), all of its missing experts load
 * at once, and the forward pass waits for the slowest instead of the sum. A demand load only reads
 * and decodes on the pool; the forward pass admits it when it asks for it, in request order, so the
 * cache's contents (and its hit count) do not depend on which load finished first. With no loaders
 * the forward pass loads each miss itself, one after the other.
 *
 * <p>With prefetch on, the forward pass hands the cache each next layer's predicted routing (the
 * next layer's router applied to this layer's input, Fate's cross-layer gate), and the predicted
 * experts load on the pool while this layer computes; a request for an expert still loading waits
 * only for the rest of its load.
 *
 * <p>Plug it into a model with {@code LoadOptions.withExperts(source -> ExpertCache.of(source,
 * ...))}. Thread-safe: each layer has its own lock, held only for bookkeeping, never during a load.
 * {@link #close()} stops the loader threads.
 */
public final class ExpertCache implements ExpertProvider, AutoCloseable {

  private final ExpertSource source;
  private final ReplacementPolicy policy;
  private final LinkModel link;
  private final ResidentSet[] sets;
  private final ExpertWeights[][] weights;
  private final boolean[][] prefetchedUnused;
  private final CompletableFuture<ExpertWeights>[][] inFlight;
  /** Demand loads started by {@link #willUse}, admitted by the request that joins them. */
  private final CompletableFuture<ExpertWeights>[][] ahead;
  private final long[] ticks;
  private final boolean prefetch;
  private final ExecutorService loaderPool;
  private final boolean demandAhead;
  private final AtomicLong queued = new AtomicLong();
  private final Object linkLock = new Object();
  private long linkFreeAt = Long.MIN_VALUE; // guarded by linkLock: when the emulated link's bandwidth is free
  private final int[] predicted;
  private final LongAdder requests = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder prefetches = new LongAdder();
  private final LongAdder prefetchUsed = new LongAdder();
  private final LongAdder prefetchLate = new LongAdder();
  private final LongAdder prefetchWasted = new LongAdder();

  /** Loader threads by default: enough concurrent reads for a top-8 layer's misses on an SSD. */
  public static final int DEFAULT_LOADERS = 4;

  /**
   * @param capacities resident experts per layer (see {@link ExpertBudget#capacities})
   * @param prefetch load each next layer's predicted experts in the background
   * @param loaders threads that load experts concurrently, 0 for loading each miss on the forward
   *     pass's thread when it is requested (prefetch then uses one thread)
   * @throws IllegalArgumentException for Belady's policy, which needs a recorded future, or a
   *     negative loader count
   */
  @SuppressWarnings("unchecked")
  public ExpertCache(ExpertSource source, int[] capacities, ReplacementPolicy policy, LinkModel link, boolean prefetch, int loaders) {
    if (loaders < 0) {
      throw new IllegalArgumentException("loaders must be 0 or more, got " + loaders);
    }
    if (policy == ReplacementPolicy.BELADY) {
      throw new IllegalArgumentException("Belady's policy needs the future: replay a routing trace with CacheSimulator");
    }
    if (capacities.length != source.layers()) {
      throw new IllegalArgumentException("capacities for " + capacities.length + " layers, the model has " + source.layers());
    }
    int experts = source.expertsPerLayer();
    this.source = source;
    this.policy = policy;
    this.link = link;
    this.sets = new ResidentSet[capacities.length];
    this.weights = new ExpertWeights[capacities.length][experts];
    this.prefetchedUnused = new boolean[capacities.length][experts];
    this.inFlight = new CompletableFuture[capacities.length][experts];
    this.ahead = new CompletableFuture[capacities.length][experts];
    this.ticks = new long[capacities.length];
    this.predicted = new int[experts];
    for (int l = 0; l < capacities.length; l++) {
      sets[l] = new ResidentSet(Math.min(capacities[l], experts));
    }
    this.prefetch = prefetch;
    int threads = Math.max(loaders, prefetch ? 1 : 0);
    AtomicInteger named = new AtomicInteger();
    // Demand loads go before queued prefetches: a forward pass waits for the former, only maybe for the latter.
    this.loaderPool = threads == 0 ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "overture-expert-loader-" + named.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.demandAhead = loaders > 0;
  }

  /** A cache with {@link #DEFAULT_LOADERS} loader threads. */
  public ExpertCache(ExpertSource source, int[] capacities, ReplacementPolicy policy, LinkModel link, boolean prefetch) {
    this(source, capacities, policy, link, prefetch, DEFAULT_LOADERS);
  }

  /** A cache for {@code budget}, spread by {@code allocation}, with {@code loaders} loader threads. */
  public static ExpertCache of(ExpertSource source, ExpertBudget budget, LayerAllocation allocation, ReplacementPolicy policy, LinkModel link,
      boolean prefetch, int loaders) {
    return new ExpertCache(source, budget.capacities(source.layers(), source.expertsPerLayer(), source.expertHeapBytes(), allocation), policy,
        link, prefetch, loaders);
  }

  /** A cache for {@code budget}, spread by {@code allocation}, with {@link #DEFAULT_LOADERS} loaders. */
  public static ExpertCache of(ExpertSource source, ExpertBudget budget, LayerAllocation allocation, ReplacementPolicy policy, LinkModel link,
      boolean prefetch) {
    return of(source, budget, allocation, policy, link, prefetch, DEFAULT_LOADERS);
  }

  /** A cache for {@code budget}, spread evenly over the layers, without prefetch. */
  public static ExpertCache of(ExpertSource source, ExpertBudget budget, ReplacementPolicy policy, LinkModel link) {
    return of(source, budget, LayerAllocation.UNIFORM, policy, link, false);
  }

  @Override
  public ExpertWeights expert(int layer, int expert) {
    requests.increment();
    ResidentSet set = sets[layer];
    CompletableFuture<ExpertWeights> pending;
    synchronized (set) {
      if (set.touch(expert, ++ticks[layer])) {
        hits.increment();
        if (prefetchedUnused[layer][expert]) {
          prefetchedUnused[layer][expert] = false;
          prefetchUsed.increment();
        }
        return weights[layer][expert];
      }
      pending = inFlight[layer][expert];
    }
    if (pending != null) {
      long start = System.nanoTime();
      ExpertWeights loaded = join(pending); // admitted by the prefetch task before it completed
      waitNanos.add(System.nanoTime() - start);
      prefetchLate.increment();
      synchronized (set) {
        prefetchedUnused[layer][expert] = false;
      }
      return loaded;
    }
    long start = System.nanoTime();
    CompletableFuture<ExpertWeights> started = takeAhead(layer, expert);
    ExpertWeights loaded = started != null ? join(started) : load(layer, expert);
    waitNanos.add(System.nanoTime() - start);
    synchronized (set) {
      if (!set.contains(expert)) {
        admit(layer, expert, loaded, false);
      }
    }
    return loaded;
  }

  /** Starts loading, on the pool, each of the layer's routed experts that is neither resident nor loading. */
  @Override
  public void willUse(int layer, int[] experts, int count) {
    if (!demandAhead) {
      return;
    }
    ResidentSet set = sets[layer];
    for (int i = 0; i < count; i++) {
      int expert = experts[i];
      CompletableFuture<ExpertWeights> future;
      synchronized (set) {
        if (set.contains(expert) || inFlight[layer][expert] != null || ahead[layer][expert] != null) {
          continue;
        }
        future = new CompletableFuture<>();
        ahead[layer][expert] = future;
      }
      loaderPool.execute(new QueuedLoad(true, queued.incrementAndGet(), () -> {
        try {
          future.complete(load(layer, expert));
        } catch (RuntimeException | Error e) {
          future.completeExceptionally(e);
        }
      }));
    }
  }

  /** A task on the loader pool's queue: demand loads first, then in the order queued. */
  private record QueuedLoad(boolean demand, long order, Runnable task) implements Runnable, Comparable<QueuedLoad> {
    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(QueuedLoad other) {
      return demand != other.demand ? (demand ? -1 : 1) : Long.compare(order, other.order);
    }
  }

  /** The load's result, or what it threw, as a load on this thread would have thrown it. */
  private static ExpertWeights join(CompletableFuture<ExpertWeights> load) {
    try {
      return load.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw e;
    }
  }

  /** The demand load {@link #willUse} started for {@code expert}, taken out of the table, or null. */
  private CompletableFuture<ExpertWeights> takeAhead(int layer, int expert) {
    synchronized (sets[layer]) {
      CompletableFuture<ExpertWeights> started = ahead[layer][expert];
      ahead[layer][expert] = null;
      return started;
    }
  }

  @Override
  public boolean predictsNextLayer() {
    return prefetch;
  }

  @Override
  public void predicted(int layer, float[] probabilities, int used) {
    ResidentSet set = sets[layer];
    int k = Math.min(used, set.capacity());
    if (k == 0) {
      return;
    }
    ExpertRouter.topK(probabilities, k, predicted);
    for (int i = 0; i < k; i++) {
      int expert = predicted[i];
      synchronized (set) {
        if (set.contains(expert) || inFlight[layer][expert] != null) {
          continue;
        }
        CompletableFuture<ExpertWeights> future = new CompletableFuture<>();
        inFlight[layer][expert] = future;
        prefetches.increment();
        loaderPool.execute(new QueuedLoad(false, queued.incrementAndGet(), () -> {
          try {
            ExpertWeights loaded = load(layer, expert);
            synchronized (set) {
              inFlight[layer][expert] = null;
              if (!set.contains(expert)) {
                admit(layer, expert, loaded, true);
              }
            }
            future.complete(loaded);
          } catch (RuntimeException | Error e) {
            synchronized (set) {
              inFlight[layer][expert] = null;
            }
            future.completeExceptionally(e);
          }
        }));
      }
    }
  }

  /** Whether {@code expert} of {@code layer} is resident now (for cache-aware routing). */
  public boolean isResident(int layer, int expert) {
    ResidentSet set = sets[layer];
    synchronized (set) {
      return set.contains(expert);
    }
  }

  /** Caller holds the layer's lock. */
  private void admit(int layer, int expert, ExpertWeights loaded, boolean prefetched) {
    int evicted = sets[layer].admit(expert, ++ticks[layer], policy, e -> Long.MAX_VALUE);
    if (evicted >= 0) {
      weights[layer][evicted] = null; // a forward pass still using it keeps its own reference
      if (prefetchedUnused[layer][evicted]) {
        prefetchedUnused[layer][evicted] = false;
        prefetchWasted.increment();
      }
    }
    if (sets[layer].contains(expert)) {
      weights[layer][expert] = loaded;
      prefetchedUnused[layer][expert] = prefetched;
    }
  }

  private ExpertWeights load(int layer, int expert) {
    long done = linkDone(source.expertHeapBytes());
    ExpertWeights loaded = source.decode(layer, expert);
    long left = done - System.nanoTime();
    if (left > 0) {
      LockSupport.parkNanos(left);
    }
    loads.increment();
    return loaded;
  }

  /**
   * When a load of {@code bytes} starting now ends on the emulated link (now, without one).
   * Concurrent loads overlap their latencies but share the bandwidth: each transfer waits for the
   * previous one to leave the link.
   */
  private long linkDone(long bytes) {
    long now = System.nanoTime();
    if (link.bytesPerSecond() == 0) {
      return now;
    }
    synchronized (linkLock) {
      long begin = linkFreeAt == Long.MIN_VALUE ? now + link.latencyNanos() : Math.max(now + link.latencyNanos(), linkFreeAt);
      linkFreeAt = begin + link.transferNanos(bytes);
      return linkFreeAt;
    }
  }

  /** The most experts each layer keeps. */
  public int[] residentCapacities() {
    int[] capacities = new int[sets.length];
    for (int l = 0; l < sets.length; l++) {
      capacities[l] = sets[l].capacity();
    }
    return capacities;
  }

  /** Resident experts per layer now. */
  public int[] residentCounts() {
    int[] counts = new int[sets.length];
    for (int l = 0; l < sets.length; l++) {
      synchronized (sets[l]) {
        counts[l] = sets[l].size();
      }
    }
    return counts;
  }

  public OffloadStats stats() {
    long n = loads.sum();
    return new OffloadStats(requests.sum(), hits.sum(), n, n * source.expertHeapBytes(), waitNanos.sum(), prefetches.sum(), prefetchUsed.sum(),
        prefetchLate.sum(), prefetchWasted.sum());
  }

  @Override
  public void close() {
    if (loaderPool != null) {
      loaderPool.shutdownNow();
    }
  }

  @Override
  public String toString() {
    OffloadStats s = stats();
    return String.format(Locale.ROOT, "ExpertCache{%s, hit rate %.3f, %d loads, %.1f ms waited}", policy, s.hitRate(), s.loads(),
        s.waitNanos() / (double) TimeUnit.MILLISECONDS.toNanos(1));
  }
}

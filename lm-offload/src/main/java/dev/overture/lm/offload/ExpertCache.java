package dev.overture.lm.offload;

import dev.overture.lm.ExpertProvider;
import dev.overture.lm.ExpertRouter;
import dev.overture.lm.ExpertSource;
import dev.overture.lm.ExpertWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
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
  /** Prefetches queued or running; each admits its expert when done. */
  private final Load[][] inFlight;
  /** Demand loads started by {@link #willUse}, admitted by the request that takes them. */
  private final Load[][] ahead;
  private final long[] ticks;
  private final boolean prefetch;
  private final ThreadPoolExecutor loaderPool;
  private final boolean demandAhead;
  private final AtomicLong queued = new AtomicLong();
  private final Object linkLock = new Object();
  private long linkFreeAt = Long.MIN_VALUE; // guarded by linkLock: when the emulated link's bandwidth is free
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
    this.inFlight = new Load[capacities.length][experts];
    this.ahead = new Load[capacities.length][experts];
    this.ticks = new long[capacities.length];
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
    Load prefetching;
    Load started;
    synchronized (set) {
      // Taken whatever happens: after a hit, or with a prefetch of the same expert, it is not needed.
      started = ahead[layer][expert];
      ahead[layer][expert] = null;
      if (set.touch(expert, ++ticks[layer])) {
        hits.increment();
        if (prefetchedUnused[layer][expert]) {
          prefetchedUnused[layer][expert] = false;
          prefetchUsed.increment();
        }
        return weights[layer][expert];
      }
      prefetching = inFlight[layer][expert];
    }
    long start = System.nanoTime();
    ExpertWeights loaded = null;
    boolean awaited = false;
    Load pending = prefetching != null ? prefetching : started;
    if (pending != null) {
      try {
        loaded = await(pending);
        awaited = true;
      } catch (RuntimeException e) {
        // Loaded again below, on this thread: a lasting failure surfaces from there, a passing one does not stick.
      }
    }
    if (prefetching != null && awaited) { // admitted by the prefetch
      waitNanos.add(System.nanoTime() - start);
      synchronized (set) {
        if (prefetchedUnused[layer][expert]) { // not already counted wasted (evicted before this request)
          prefetchedUnused[layer][expert] = false;
          prefetchLate.increment();
        }
      }
      return loaded;
    }
    if (!awaited) {
      loaded = load(layer, expert);
    }
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
    for (int i = 0; i < count; i++) {
      startLoad(layer, experts[i], true);
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
    int[] top = new int[k]; // per call: sessions sharing the cache predict concurrently
    ExpertRouter.topK(probabilities, k, top);
    for (int expert : top) {
      startLoad(layer, expert, false);
    }
  }

  /** Queues a demand load or a prefetch of {@code expert}, unless it is resident or already loading. */
  private void startLoad(int layer, int expert, boolean demand) {
    ResidentSet set = sets[layer];
    Load load;
    synchronized (set) {
      if (set.contains(expert) || inFlight[layer][expert] != null || ahead[layer][expert] != null) {
        return;
      }
      load = new Load(layer, expert, demand, queued.incrementAndGet());
      if (demand) {
        ahead[layer][expert] = load;
      } else {
        inFlight[layer][expert] = load;
        prefetches.increment();
      }
    }
    try {
      loaderPool.execute(load);
    } catch (RejectedExecutionException e) { // closed: the request loads it on its own thread
      load.fail(new IllegalStateException("expert cache closed"));
    }
  }

  /**
   * The load's weights. A load still queued is taken off the queue and run on this thread: a
   * forward pass waiting for it must not wait behind other loads (a prefetch ranks below every
   * demand load on the queue).
   */
  private ExpertWeights await(Load load) {
    if (loaderPool.remove(load)) {
      load.run();
    }
    try {
      return load.future.join();
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

  /**
   * One expert's load on the pool: a demand load (started by {@link #willUse}; the request that
   * takes it admits it) or a prefetch (admits itself). Demand loads run before queued prefetches,
   * then in the order queued. Identity equality, so that the pool can remove exactly this task.
   */
  private final class Load implements Runnable, Comparable<Load> {
    final int layer;
    final int expert;
    final boolean demand;
    final long order;
    final CompletableFuture<ExpertWeights> future = new CompletableFuture<>();

    Load(int layer, int expert, boolean demand, long order) {
      this.layer = layer;
      this.expert = expert;
      this.demand = demand;
      this.order = order;
    }

    @Override
    public void run() {
      ExpertWeights loaded;
      try {
        loaded = load(layer, expert);
      } catch (RuntimeException | Error e) {
        fail(e);
        return;
      }
      if (!demand) {
        ResidentSet set = sets[layer];
        synchronized (set) {
          inFlight[layer][expert] = null;
          if (!set.contains(expert)) {
            admit(layer, expert, loaded, true);
          }
        }
      }
      future.complete(loaded);
    }

    /** Ends the load with {@code cause} (a failed read, or a cache closed before it ran). */
    void fail(Throwable cause) {
      if (!demand) {
        synchronized (sets[layer]) {
          if (inFlight[layer][expert] == this) {
            inFlight[layer][expert] = null;
          }
        }
      }
      future.completeExceptionally(cause);
    }

    @Override
    public int compareTo(Load other) {
      return demand != other.demand ? (demand ? -1 : 1) : Long.compare(order, other.order);
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
    for (long left = done - System.nanoTime(); left > 0 && !Thread.currentThread().isInterrupted(); left = done - System.nanoTime()) {
      LockSupport.parkNanos(left); // may return early
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

  /**
   * Stops the loader threads. Loads already running finish (no interrupt: an interrupted read
   * would close the file for every reader); queued ones are dropped, and a request waiting for one
   * loads the expert itself.
   */
  @Override
  public void close() {
    if (loaderPool != null) {
      loaderPool.shutdown();
      List<Runnable> dropped = new ArrayList<>();
      loaderPool.getQueue().drainTo(dropped);
      for (Runnable r : dropped) {
        ((Load) r).fail(new IllegalStateException("expert cache closed"));
      }
    }
  }

  @Override
  public String toString() {
    OffloadStats s = stats();
    return String.format(Locale.ROOT, "ExpertCache{%s, hit rate %.3f, %d loads, %.1f ms waited}", policy, s.hitRate(), s.loads(),
        s.waitNanos() / (double) TimeUnit.MILLISECONDS.toNanos(1));
  }
}

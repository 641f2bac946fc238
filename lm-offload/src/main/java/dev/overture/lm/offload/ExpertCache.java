package dev.overture.lm.offload;

import dev.overture.lm.ExpertProvider;
import dev.overture.lm.ExpertRouter;
import dev.overture.lm.ExpertSource;
import dev.overture.lm.ExpertWeights;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Two tiers of experts: a resident set per layer bounded by a budget, and the backing store (the
 * model file, through its {@link ExpertSource}) from which a missing expert is decoded when the
 * router picks it. A full layer makes room by its {@link ReplacementPolicy}. Every load is counted
 * ({@link #stats()}); an optional {@link LinkModel} makes each load wait as long as a slower link
 * would.
 *
 * <p>With prefetch on, the forward pass hands the cache each next layer's predicted routing (the
 * next layer's router applied to this layer's input, Fate's cross-layer gate), and the predicted
 * experts load on a background thread while this layer computes; a request for an expert still
 * loading waits only for the rest of its load.
 *
 * <p>Plug it into a model with {@code LoadOptions.withExperts(source -> ExpertCache.of(source,
 * ...))}. Thread-safe: each layer has its own lock, held only for bookkeeping, never during a load.
 * {@link #close()} stops the prefetch thread.
 */
public final class ExpertCache implements ExpertProvider, AutoCloseable {

  private final ExpertSource source;
  private final ReplacementPolicy policy;
  private final LinkModel link;
  private final ResidentSet[] sets;
  private final ExpertWeights[][] weights;
  private final boolean[][] prefetchedUnused;
  @SuppressWarnings("unchecked")
  private final CompletableFuture<ExpertWeights>[][] inFlight;
  private final long[] ticks;
  private final ExecutorService prefetcher;
  private final int[] predicted;
  private final LongAdder requests = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder prefetches = new LongAdder();
  private final LongAdder prefetchUsed = new LongAdder();
  private final LongAdder prefetchLate = new LongAdder();
  private final LongAdder prefetchWasted = new LongAdder();

  /**
   * @param capacities resident experts per layer (see {@link ExpertBudget#capacities})
   * @param prefetch load each next layer's predicted experts in the background
   * @throws IllegalArgumentException for Belady's policy, which needs a recorded future
   */
  @SuppressWarnings("unchecked")
  public ExpertCache(ExpertSource source, int[] capacities, ReplacementPolicy policy, LinkModel link, boolean prefetch) {
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
    this.ticks = new long[capacities.length];
    this.predicted = new int[experts];
    for (int l = 0; l < capacities.length; l++) {
      sets[l] = new ResidentSet(Math.min(capacities[l], experts));
    }
    this.prefetcher = prefetch ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "overture-expert-prefetch");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** A cache for {@code budget}, spread by {@code allocation}. */
  public static ExpertCache of(ExpertSource source, ExpertBudget budget, LayerAllocation allocation, ReplacementPolicy policy, LinkModel link,
      boolean prefetch) {
    return new ExpertCache(source, budget.capacities(source.layers(), source.expertsPerLayer(), source.expertHeapBytes(), allocation), policy,
        link, prefetch);
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
      ExpertWeights loaded = pending.join(); // admitted by the prefetch task before it completed
      waitNanos.add(System.nanoTime() - start);
      prefetchLate.increment();
      synchronized (set) {
        prefetchedUnused[layer][expert] = false;
      }
      return loaded;
    }
    long start = System.nanoTime();
    ExpertWeights loaded = load(layer, expert);
    waitNanos.add(System.nanoTime() - start);
    synchronized (set) {
      if (!set.contains(expert)) {
        admit(layer, expert, loaded, false);
      }
    }
    return loaded;
  }

  @Override
  public boolean predictsNextLayer() {
    return prefetcher != null;
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
        prefetcher.execute(() -> {
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
        });
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
    long start = System.nanoTime();
    ExpertWeights loaded = source.decode(layer, expert);
    long emulated = link.nanosFor(source.expertHeapBytes());
    long spent = System.nanoTime() - start;
    if (emulated > spent) {
      LockSupport.parkNanos(emulated - spent);
    }
    loads.increment();
    return loaded;
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
    if (prefetcher != null) {
      prefetcher.shutdownNow();
    }
  }

  @Override
  public String toString() {
    OffloadStats s = stats();
    return String.format(Locale.ROOT, "ExpertCache{%s, hit rate %.3f, %d loads, %.1f ms waited}", policy, s.hitRate(), s.loads(),
        s.waitNanos() / (double) TimeUnit.MILLISECONDS.toNanos(1));
  }
}

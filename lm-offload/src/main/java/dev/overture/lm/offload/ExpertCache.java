package dev.overture.lm.offload;

import dev.overture.lm.ExpertProvider;
import dev.overture.lm.ExpertSource;
import dev.overture.lm.ExpertWeights;
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
 * <p>Plug it into a model with {@code LoadOptions.withExperts(source -> new ExpertCache(source,
 * ...))}. Thread-safe: each layer has its own lock, so sessions on different layers do not wait
 * for each other.
 */
public final class ExpertCache implements ExpertProvider {

  private final ExpertSource source;
  private final ReplacementPolicy policy;
  private final LinkModel link;
  private final ResidentSet[] sets;
  private final ExpertWeights[][] weights;
  private final long[] ticks;
  private final LongAdder requests = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();

  /**
   * @param capacities resident experts per layer (see {@link ExpertBudget#capacities})
   * @throws IllegalArgumentException for Belady's policy, which needs a recorded future
   */
  public ExpertCache(ExpertSource source, int[] capacities, ReplacementPolicy policy, LinkModel link) {
    if (policy == ReplacementPolicy.BELADY) {
      throw new IllegalArgumentException("Belady's policy needs the future: replay a routing trace with CacheSimulator");
    }
    if (capacities.length != source.layers()) {
      throw new IllegalArgumentException("capacities for " + capacities.length + " layers, the model has " + source.layers());
    }
    this.source = source;
    this.policy = policy;
    this.link = link;
    this.sets = new ResidentSet[capacities.length];
    this.weights = new ExpertWeights[capacities.length][source.expertsPerLayer()];
    this.ticks = new long[capacities.length];
    for (int l = 0; l < capacities.length; l++) {
      sets[l] = new ResidentSet(Math.min(capacities[l], source.expertsPerLayer()));
    }
  }

  /** A cache for {@code budget}, spread evenly over the layers. */
  public static ExpertCache of(ExpertSource source, ExpertBudget budget, ReplacementPolicy policy, LinkModel link) {
    return new ExpertCache(source, budget.capacities(source.layers(), source.expertsPerLayer(), source.expertHeapBytes(), LayerAllocation.UNIFORM),
        policy, link);
  }

  @Override
  public ExpertWeights expert(int layer, int expert) {
    requests.increment();
    ResidentSet set = sets[layer];
    synchronized (set) {
      long tick = ++ticks[layer];
      if (set.touch(expert, tick)) {
        hits.increment();
        return weights[layer][expert];
      }
      ExpertWeights loaded = load(layer, expert);
      int evicted = set.admit(expert, tick, policy, e -> Long.MAX_VALUE);
      if (evicted >= 0) {
        weights[layer][evicted] = null; // a forward pass still using it keeps its own reference
      }
      if (set.contains(expert)) {
        weights[layer][expert] = loaded;
      }
      return loaded;
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
    waitNanos.add(System.nanoTime() - start);
    return loaded;
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
    return new OffloadStats(requests.sum(), hits.sum(), n, n * source.expertHeapBytes(), waitNanos.sum());
  }

  @Override
  public String toString() {
    OffloadStats s = stats();
    return String.format(java.util.Locale.ROOT, "ExpertCache{%s, hit rate %.3f, %d loads, %.1f ms waited}", policy, s.hitRate(), s.loads(),
        s.waitNanos() / (double) TimeUnit.MILLISECONDS.toNanos(1));
  }
}

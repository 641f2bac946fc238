package dev.overture.lm.offload;

import java.util.Arrays;

/**
 * Replays a {@link RoutingTrace} through per-layer resident sets, without the model: fast enough to
 * sweep every budget and policy, Belady's optimum included. Each token requests its chosen experts
 * in every layer in ascending expert order, as the forward pass does; a miss loads the expert (and
 * keeps it, if the layer has room or something to evict).
 */
public final class CacheSimulator {

  private CacheSimulator() {}

  /**
   * The result of one replay.
   *
   * @param requests expert requests (tokens x layers x experts per token)
   * @param hits requests served by a resident expert
   * @param loadsPerLayer misses in each layer
   * @param switchRate the share of (token, layer) pairs whose chosen set differs from the previous
   *     token's in that layer: a property of the routing, the same for every cache
   */
  public record Result(long requests, long hits, long[] loadsPerLayer, int tokens, double switchRate) {

    public double hitRate() {
      return requests == 0 ? Double.NaN : (double) hits / requests;
    }

    /** Experts loaded per token, over all layers. */
    public double loadsPerToken() {
      return tokens == 0 ? Double.NaN : (double) Arrays.stream(loadsPerLayer).sum() / tokens;
    }

    /** Misses per layer per token. */
    public double missesPerLayerPerToken() {
      return loadsPerToken() / loadsPerLayer.length;
    }
  }

  public static Result replay(RoutingTrace trace, int[] capacities, ReplacementPolicy policy) {
    int layers = trace.layers();
    int used = trace.used();
    int tokens = trace.tokens();
    long hits = 0;
    long requests = 0;
    long[] loads = new long[layers];
    for (int l = 0; l < layers; l++) {
      // The layer's accesses in order, and for each the index of the same expert's next access.
      int[] access = new int[tokens * used];
      int n = 0;
      for (int t = 0; t < tokens; t++) {
        int first = n;
        for (int k = 0; k < used; k++) {
          int e = trace.chosen(t, l, k);
          if (e >= 0) { // -1: an adaptive router used fewer experts for this token
            access[n++] = e;
          }
        }
        Arrays.sort(access, first, n);
      }
      requests += n;
      long[] next = new long[n];
      long[] upcoming = new long[trace.experts()];
      Arrays.fill(upcoming, Long.MAX_VALUE);
      for (int i = n - 1; i >= 0; i--) {
        next[i] = upcoming[access[i]];
        upcoming[access[i]] = i;
      }
      long[] nextUseOf = new long[trace.experts()];
      ResidentSet set = new ResidentSet(Math.min(capacities[l], trace.experts()));
      for (int i = 0; i < n; i++) {
        int e = access[i];
        nextUseOf[e] = next[i];
        if (set.touch(e, i)) {
          hits++;
        } else {
          loads[l]++;
          set.admit(e, i, policy, expert -> nextUseOf[expert]);
        }
      }
    }
    return new Result(requests, hits, loads, tokens, switchRate(trace));
  }

  static double switchRate(RoutingTrace trace) {
    long pairs = 0;
    long switches = 0;
    int used = trace.used();
    int[] previous = new int[used];
    int[] current = new int[used];
    for (int l = 0; l < trace.layers(); l++) {
      for (int t = 0; t < trace.tokens(); t++) {
        for (int k = 0; k < used; k++) {
          current[k] = trace.chosen(t, l, k);
        }
        Arrays.sort(current);
        if (t > 0) {
          pairs++;
          switches += Arrays.equals(previous, current) ? 0 : 1;
        }
        System.arraycopy(current, 0, previous, 0, used);
      }
    }
    return pairs == 0 ? 0 : (double) switches / pairs;
  }
}

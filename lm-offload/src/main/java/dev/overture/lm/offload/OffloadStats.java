package dev.overture.lm.offload;

/**
 * What an {@link ExpertCache} did since it was made.
 *
 * @param requests experts the MoE layers asked for
 * @param hits of those, resident already
 * @param loads experts loaded from the backing store (on demand and prefetched)
 * @param bytesLoaded heap bytes of the loaded experts
 * @param waitNanos time the forward pass waited for experts (the emulated link's delay included)
 * @param prefetches experts loaded ahead on a prediction
 * @param prefetchUsed prefetched experts that were resident when asked for (the load was hidden)
 * @param prefetchLate prefetched experts asked for while still loading (partly hidden)
 * @param prefetchWasted prefetched experts evicted before anyone asked for them
 */
public record OffloadStats(long requests, long hits, long loads, long bytesLoaded, long waitNanos, long prefetches, long prefetchUsed,
    long prefetchLate, long prefetchWasted) {

  public double hitRate() {
    return requests == 0 ? Double.NaN : (double) hits / requests;
  }

  /** The share of prefetches that were asked for (in time or late). */
  public double prefetchPrecision() {
    return prefetches == 0 ? Double.NaN : (double) (prefetchUsed + prefetchLate) / prefetches;
  }

  /** The share of requests that missed the resident set and were covered by a prefetch. */
  public double prefetchRecall() {
    long needed = requests - hits + prefetchUsed;
    return needed == 0 ? Double.NaN : (double) (prefetchUsed + prefetchLate) / needed;
  }

  /** Of the useful prefetches, the share that completed before they were asked for. */
  public double prefetchTimeliness() {
    long useful = prefetchUsed + prefetchLate;
    return useful == 0 ? Double.NaN : (double) prefetchUsed / useful;
  }
}

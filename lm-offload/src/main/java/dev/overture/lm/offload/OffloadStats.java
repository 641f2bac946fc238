package dev.overture.lm.offload;

/**
 * What an {@link ExpertCache} did since it was made.
 *
 * @param requests experts the MoE layers asked for
 * @param hits of those, resident already
 * @param loads experts loaded from the backing store
 * @param bytesLoaded heap bytes of the loaded experts
 * @param waitNanos time the forward pass waited for loads (the emulated link's delay included)
 */
public record OffloadStats(long requests, long hits, long loads, long bytesLoaded, long waitNanos) {

  public double hitRate() {
    return requests == 0 ? Double.NaN : (double) hits / requests;
  }
}

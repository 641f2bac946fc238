package dev.overture.device.internal;

/**
 * An exponentially weighted moving average of the cloud's latency from the opener's commit to its
 * first word, which sizes the next opener. Not thread-safe (the agent's loop owns it).
 */
public final class LatencyEstimate {

  /** Weight of the newest sample: recent network conditions matter most. */
  static final double ALPHA = 0.3;

  private double nanos;

  /** @param priorNanos the estimate before any sample */
  public LatencyEstimate(long priorNanos) {
    this.nanos = priorNanos;
  }

  public void add(long sampleNanos) {
    nanos += ALPHA * (sampleNanos - nanos);
  }

  public long nanos() {
    return (long) nanos;
  }
}

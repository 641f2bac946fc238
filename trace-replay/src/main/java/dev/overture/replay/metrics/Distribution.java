package dev.overture.replay.metrics;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds (HdrHistogram, microsecond resolution, 3 significant
 * digits), with coordinated-omission correction for values measured in a closed loop: given the
 * interval at which samples were meant to come, a value longer than that interval also records
 * the samples that the stall kept from being taken (HdrHistogram's {@code
 * recordValueWithExpectedInterval}). Thread-safe.
 */
public final class Distribution {

  private final Histogram histogram = new Histogram(3); // auto-resizing: no value is too large
  private long raw;

  /** Records a value; negative values (an event that came early) count as zero. */
  public synchronized void record(double millis) {
    histogram.recordValue(micros(millis));
    raw++;
  }

  /** Records a value from a closed loop whose samples were meant {@code expectedIntervalMillis} apart. */
  public synchronized void record(double millis, double expectedIntervalMillis) {
    long interval = micros(expectedIntervalMillis);
    if (interval <= 0) { // no interval (back-to-back turns): nothing was kept from being measured
      histogram.recordValue(micros(millis));
    } else {
      histogram.recordValueWithExpectedInterval(micros(millis), interval);
    }
    raw++;
  }

  /** Records {@code times} values of {@code millis} each (a turn's stalls, by their mean length). */
  public synchronized void recordRepeated(double millis, int times) {
    histogram.recordValueWithCount(micros(millis), times);
    raw += times;
  }

  private static long micros(double millis) {
    return Math.max(0, Math.round(millis * 1000));
  }

  /** The measured values (before any correction). */
  public synchronized long count() {
    return raw;
  }

  public synchronized Percentiles percentiles() {
    if (histogram.getTotalCount() == 0) {
      return Percentiles.EMPTY;
    }
    return new Percentiles(raw, at(50), at(90), at(99), histogram.getMaxValue() / 1000.0, histogram.getMean() / 1000.0);
  }

  /** The cumulative distribution as (milliseconds, share) points, for plots. */
  public synchronized double[][] cdf(int points) {
    double[][] xy = new double[2][points + 1];
    for (int i = 0; i <= points; i++) {
      double p = 100.0 * i / points;
      xy[0][i] = histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(p) / 1000.0;
      xy[1][i] = p / 100;
    }
    return xy;
  }

  private double at(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /**
   * Summary of a distribution in milliseconds.
   *
   * @param count values measured (before coordinated-omission correction)
   */
  public record Percentiles(long count, double p50, double p90, double p99, double max, double mean) {
    static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }
}

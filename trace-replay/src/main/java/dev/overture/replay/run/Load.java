package dev.overture.replay.run;

import java.util.Locale;

/**
 * How conversations arrive: a closed loop of simulated users, each starting its next conversation
 * when the last one ended, or an open loop whose arrivals do not wait for the service (Poisson at
 * a rate, or the trace's own timestamps).
 */
public sealed interface Load {

  /** {@code users} devices, each playing conversations back to back. */
  record Closed(int users) implements Load {}

  /** Arrivals at {@code perSecond} conversations per second, exponential gaps; at most {@code devices} at once. */
  record Poisson(double perSecond, int devices) implements Load {}

  /** Arrivals at the trace's {@code arrival_s}, divided by {@code speedup}; at most {@code devices} at once. */
  record TraceTimes(double speedup, int devices) implements Load {}

  /** How many simulated devices (agents) the load needs at most. */
  default int devices() {
    if (this instanceof Closed c) {
      return c.users();
    }
    if (this instanceof Poisson p) {
      return p.devices();
    }
    return ((TraceTimes) this).devices();
  }

  /** {@code closed:N}, {@code poisson:RATE[:DEVICES]} or {@code trace[:SPEEDUP[:DEVICES]]}. */
  static Load parse(String spec) {
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      switch (parts[0]) {
        case "closed":
          return new Closed(positive(parts.length > 1 ? Integer.parseInt(parts[1]) : 1, spec));
        case "poisson":
          if (parts.length < 2) {
            throw new IllegalArgumentException("--load poisson needs a rate: poisson:0.5 (conversations per second)");
          }
          double rate = Double.parseDouble(parts[1]);
          if (!(rate > 0)) {
            throw new IllegalArgumentException("--load poisson: the rate must be positive, got " + parts[1]);
          }
          return new Poisson(rate, positive(parts.length > 2 ? Integer.parseInt(parts[2]) : 8, spec));
        case "trace":
          double speedup = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
          if (!(speedup > 0)) {
            throw new IllegalArgumentException("--load trace: the speedup must be positive, got " + parts[1]);
          }
          return new TraceTimes(speedup, positive(parts.length > 2 ? Integer.parseInt(parts[2]) : 8, spec));
        default:
          throw new IllegalArgumentException("--load must be closed:N, poisson:RATE[:DEVICES] or trace[:SPEEDUP[:DEVICES]], not '" + spec + "'");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--load '" + spec + "' has a value that is not a number", e);
    }
  }

  private static int positive(int n, String spec) {
    if (n < 1) {
      throw new IllegalArgumentException("--load '" + spec + "': the count must be at least 1");
    }
    return n;
  }
}

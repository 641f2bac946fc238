package dev.overture.replay.network;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the emulated network between the agents and the service behaves.
 *
 * @param name how reports call it
 * @param roundTripMillis base round trip (half of it each way)
 * @param jitterMillis extra one-way delay, uniform in [0, jitter], per chunk (order is kept)
 * @param kilobitsPerSecond bandwidth each way (0: unlimited)
 * @param stallEverySeconds mean time between stalls, when nothing gets through (0: none)
 * @param stallMillis how long a stall lasts
 * @param dropEverySeconds mean time between dropped connections (0: none)
 */
public record NetworkProfile(String name, double roundTripMillis, double jitterMillis, double kilobitsPerSecond,
    double stallEverySeconds, double stallMillis, double dropEverySeconds) {

  public NetworkProfile {
    if (roundTripMillis < 0 || jitterMillis < 0 || kilobitsPerSecond < 0 || stallEverySeconds < 0 || stallMillis < 0 || dropEverySeconds < 0) {
      throw new IllegalArgumentException("network profile values must be >= 0: " + name);
    }
  }

  /**
   * The named profiles. Round trips and bandwidths follow typical measurements of each access
   * network (docs/latency-testing.md says where they come from); stalls and drops are chosen to
   * exercise the agent's fallback and resume paths.
   */
  public static Map<String, NetworkProfile> named() {
    Map<String, NetworkProfile> profiles = new LinkedHashMap<>();
    profiles.put("lan", new NetworkProfile("lan", 2, 1, 0, 0, 0, 0));
    profiles.put("wifi", new NetworkProfile("wifi", 20, 10, 50_000, 0, 0, 0));
    profiles.put("4g", new NetworkProfile("4g", 60, 25, 10_000, 0, 0, 0));
    profiles.put("congested", new NetworkProfile("congested", 150, 80, 1_000, 20, 400, 0));
    profiles.put("flaky", new NetworkProfile("flaky", 100, 50, 2_000, 10, 800, 30));
    return profiles;
  }

  /** A network that only delays: {@code rtt<ms>}. */
  public static NetworkProfile roundTrip(double millis) {
    return new NetworkProfile("rtt" + Math.round(millis), millis, 0, 0, 0, 0, 0);
  }

  /**
   * A named profile, {@code rtt<ms>} (for example {@code rtt300}), or a custom one: {@code
   * custom:rtt=300,jitter=20,kbps=1000,stall=10s/500ms,drop=60s} (any subset).
   */
  public static NetworkProfile parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    NetworkProfile named = named().get(s);
    if (named != null) {
      return named;
    }
    if (s.matches("rtt\\d+(\\.\\d+)?")) {
      return roundTrip(Double.parseDouble(s.substring(3)));
    }
    if (!s.startsWith("custom:")) {
      throw new IllegalArgumentException("unknown network profile '" + spec + "': use " + String.join(", ", named().keySet())
          + ", rtt<ms> or custom:rtt=..,jitter=..,kbps=..,stall=<s>s/<ms>ms,drop=<s>s");
    }
    double rtt = 0, jitter = 0, kbps = 0, stallEvery = 0, stallMs = 0, dropEvery = 0;
    for (String part : s.substring("custom:".length()).split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("custom profile: '" + part + "' is not key=value");
      }
      try {
        switch (kv[0]) {
          case "rtt" -> rtt = Double.parseDouble(kv[1]);
          case "jitter" -> jitter = Double.parseDouble(kv[1]);
          case "kbps" -> kbps = Double.parseDouble(kv[1]);
          case "stall" -> {
            String[] every = kv[1].split("/", 2);
            stallEvery = seconds(every[0]);
            stallMs = every.length > 1 ? seconds(every[1]) * 1000 : 500;
          }
          case "drop" -> dropEvery = seconds(kv[1]);
          default -> throw new IllegalArgumentException("custom profile: unknown key '" + kv[0] + "' (rtt, jitter, kbps, stall, drop)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("custom profile: '" + part + "' has no number", e);
      }
    }
    return new NetworkProfile(spec.trim(), rtt, jitter, kbps, stallEvery, stallMs, dropEvery);
  }

  private static double seconds(String value) {
    if (value.endsWith("ms")) {
      return Double.parseDouble(value.substring(0, value.length() - 2)) / 1000;
    }
    return Double.parseDouble(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
  }
}

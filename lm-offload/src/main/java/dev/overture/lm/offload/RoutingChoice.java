package dev.overture.lm.offload;

import dev.overture.lm.ExpertRouter;
import java.util.Locale;

/**
 * A routing policy as an operator names it, turned into a router per session: {@code exact},
 * {@code cache-aware} (max-rank, the parameter the rank, default k + 1: 3 for top-2, 9 for top-8), {@code cache-aware-mass}
 * (cumulative probability, default 0.9), {@code sticky} (the switching cost, default 0.3) or
 * {@code adaptive} (the confidence for one expert, default 0.6).
 */
public record RoutingChoice(String name, double parameter) {

  public RoutingChoice {
    name = name.toLowerCase(Locale.ROOT);
    switch (name) {
      case "exact", "cache-aware", "cache-aware-mass", "sticky", "adaptive" -> { }
      default -> throw new IllegalArgumentException("unknown routing '" + name + "': exact, cache-aware, cache-aware-mass, sticky or adaptive");
    }
  }

  /** A policy with its default parameter when {@code parameter} is 0 or less. */
  public static RoutingChoice of(String name, double parameter) {
    RoutingChoice probe = new RoutingChoice(name, 0);
    return parameter > 0 ? new RoutingChoice(probe.name, parameter) : new RoutingChoice(probe.name, probe.defaultParameter());
  }

  private double defaultParameter() {
    return switch (name) {
      case "cache-aware" -> 0; // the router reads it as k + 1, with the model's own k
      case "cache-aware-mass" -> 0.9;
      case "sticky" -> 0.3;
      case "adaptive" -> 0.6;
      default -> 0;
    };
  }

  @Override
  public String toString() {
    return name.equals("exact") ? name : name.equals("cache-aware") && parameter == 0 ? name + "(k+1)" : name + "(" + parameter + ")";
  }

  /** A new router for one session; null for exact routing. Cache-aware routing needs a cache. */
  public ExpertRouter newRouter(ExpertCache cache) {
    return switch (name) {
      case "exact" -> null;
      case "cache-aware", "cache-aware-mass" -> {
        if (cache == null) {
          throw new IllegalArgumentException("cache-aware routing needs offloading (a resident budget below 100%)");
        }
        yield new CacheAwareRouter(cache::isResident, name.equals("cache-aware") ? CacheAwareRouter.Rule.MAX_RANK : CacheAwareRouter.Rule.CUMULATIVE,
            parameter);
      }
      case "sticky" -> new StickyRouter(parameter);
      default -> new AdaptiveTopKRouter(parameter);
    };
  }
}

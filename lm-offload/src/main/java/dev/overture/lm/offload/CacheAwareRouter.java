package dev.overture.lm.offload;

import dev.overture.lm.ExpertRouter;

/**
 * Cache-conditional routing (Skliar et al., arXiv 2412.00099): when the router's preference is weak,
 * take an expert that is already resident instead of loading one. Among the candidates, resident
 * experts come first in rank order; the rest of the {@code k} slots go to the best candidates by
 * rank.
 *
 * <ul>
 *   <li>{@link Rule#MAX_RANK}: the candidates are the {@code value} top-ranked experts (value >= k;
 *       0 means k + 1, one candidate past the model's own choice, whatever its k).
 *   <li>{@link Rule#CUMULATIVE}: the candidates are the top-ranked experts up to a cumulative
 *       probability of {@code value} (at least k of them).
 * </ul>
 *
 * One per session; it asks the shared {@link ExpertCache} ({@code cache::isResident}) what is
 * resident.
 */
public final class CacheAwareRouter implements ExpertRouter {

  public enum Rule { MAX_RANK, CUMULATIVE }

  /** What is in fast memory now. */
  @FunctionalInterface
  public interface Residency {
    boolean isResident(int layer, int expert);
  }

  private final Residency cache;
  private final Rule rule;
  private final double value;
  private int[] ranking = new int[0];
  private boolean[] resident = new boolean[0];

  public CacheAwareRouter(Residency cache, Rule rule, double value) {
    if (rule == Rule.CUMULATIVE ? !(value > 0 && value <= 1) : !(value == 0 || value >= 1)) {
      throw new IllegalArgumentException("cache-aware routing: " + rule + " needs " + (rule == Rule.CUMULATIVE ? "0 < p <= 1" : "a rank >= 1 (or 0: k + 1)") + ", got "
          + value);
    }
    this.cache = cache;
    this.rule = rule;
    this.value = value;
  }

  @Override
  public int route(int layer, float[] probabilities, int k, int[] chosen) {
    int experts = probabilities.length;
    if (ranking.length != experts) {
      ranking = new int[experts];
    }
    ExpertRouter.topK(probabilities, experts, ranking);
    int candidates;
    if (rule == Rule.MAX_RANK) {
      candidates = (int) Math.min(experts, value == 0 ? k + 1 : Math.max(k, value));
    } else {
      double sum = 0;
      candidates = 0;
      while (candidates < experts && (candidates < k || sum < value)) {
        sum += probabilities[ranking[candidates++]];
      }
    }
    // One look at residency per candidate: loader threads admit and evict meanwhile, and two
    // looks could see an expert resident in the first pass and gone in the second (chosen twice).
    if (resident.length < candidates) {
      resident = new boolean[experts];
    }
    for (int i = 0; i < candidates; i++) {
      resident[i] = cache.isResident(layer, ranking[i]);
    }
    int n = 0;
    for (int i = 0; i < candidates && n < k; i++) {
      if (resident[i]) {
        chosen[n++] = ranking[i];
      }
    }
    for (int i = 0; i < candidates && n < k; i++) {
      if (!resident[i]) {
        chosen[n++] = ranking[i];
      }
    }
    return n;
  }
}

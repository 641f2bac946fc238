package dev.overture.lm.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The routing policies on hand-made router probabilities. */
class RoutersTest {

  static final float[] P = {0.05f, 0.40f, 0.25f, 0.20f, 0.10f}; // ranking 1, 2, 3, 4, 0

  static int[] route(dev.overture.lm.ExpertRouter router, int layer, float[] p, int k) {
    int[] chosen = new int[k];
    int n = router.route(layer, p, k, chosen);
    return Arrays.copyOf(chosen, n);
  }

  @Test
  void cacheAwareMaxRankPrefersAResidentExpertWithinTheRank() {
    Set<Integer> resident = Set.of(3);
    CacheAwareRouter router = new CacheAwareRouter((l, e) -> resident.contains(e), CacheAwareRouter.Rule.MAX_RANK, 3);
    assertArrayEquals(new int[] {3, 1}, route(router, 0, P, 2));
  }

  @Test
  void cacheAwareNeverReachesBeyondItsCandidates() {
    Set<Integer> resident = Set.of(0);
    CacheAwareRouter router = new CacheAwareRouter((l, e) -> resident.contains(e), CacheAwareRouter.Rule.MAX_RANK, 3);
    assertArrayEquals(new int[] {1, 2}, route(router, 0, P, 2), "expert 0 ranks last: not a candidate");
  }

  @Test
  void cacheAwareCumulativeStopsAtTheProbabilityMass() {
    Set<Integer> resident = Set.of(3, 4);
    // 0.40 + 0.25 = 0.65 < 0.8, + 0.20 = 0.85: candidates 1, 2, 3.
    CacheAwareRouter router = new CacheAwareRouter((l, e) -> resident.contains(e), CacheAwareRouter.Rule.CUMULATIVE, 0.8);
    assertArrayEquals(new int[] {3, 1}, route(router, 0, P, 2));
  }

  @Test
  void cacheAwareChoosesEachExpertOnceWhileTheCacheChanges() {
    // Expert 1, the router's first choice, is evicted by a loader thread right after the router
    // first saw it resident.
    int[] looks = new int[5];
    CacheAwareRouter router = new CacheAwareRouter((l, e) -> e == 1 && looks[e]++ == 0, CacheAwareRouter.Rule.MAX_RANK, 3);
    int[] chosen = route(router, 0, P, 2);
    assertEquals(2, Arrays.stream(chosen).distinct().count(), Arrays.toString(chosen));
    assertArrayEquals(new int[] {1, 2}, chosen);
  }

  @Test
  void cacheAwareWithRankKIsExactRouting() {
    CacheAwareRouter router = new CacheAwareRouter((l, e) -> e == 4, CacheAwareRouter.Rule.MAX_RANK, 2);
    assertArrayEquals(new int[] {1, 2}, route(router, 0, P, 2));
  }

  @Test
  void cacheAwareRankZeroReachesOnePastTheModelsK() {
    float[] p = {0.3f, 0.25f, 0.2f, 0.15f, 0.1f};
    CacheAwareRouter router = new CacheAwareRouter((l, e) -> e == 2 || e == 3, CacheAwareRouter.Rule.MAX_RANK, 0);
    assertArrayEquals(new int[] {2, 0}, route(router, 0, p, 2), "top-2: candidates to rank 3");
    assertArrayEquals(new int[] {2, 3, 0}, route(router, 0, p, 3), "top-3: candidates to rank 4");
    assertEquals("cache-aware(k+1)", RoutingChoice.of("cache-aware", 0).toString());
  }

  @Test
  void stickyKeepsItsSetUnlessTheNewOneBeatsItByTheCost() {
    StickyRouter router = new StickyRouter(0.2);
    assertArrayEquals(new int[] {1, 2}, route(router, 0, P, 2));
    float[] next = {0.05f, 0.30f, 0.15f, 0.40f, 0.10f}; // best {3, 1} = 0.70 vs kept {1, 2} = 0.45: switch
    assertArrayEquals(new int[] {3, 1}, route(router, 0, next, 2));
    float[] close = {0.05f, 0.35f, 0.30f, 0.20f, 0.10f}; // best {1, 2} = 0.65 vs kept {3, 1} = 0.55: keep
    assertArrayEquals(new int[] {1, 3}, route(router, 0, close, 2), "kept, best first");
  }

  @Test
  void stickyLayersAreIndependent() {
    StickyRouter router = new StickyRouter(1);
    route(router, 0, P, 2);
    float[] other = {0.9f, 0.02f, 0.03f, 0.03f, 0.02f};
    assertEquals(0, route(router, 1, other, 2)[0], "layer 1 has no set yet");
  }

  @Test
  void adaptiveUsesOneExpertForAConfidentToken() {
    AdaptiveTopKRouter router = new AdaptiveTopKRouter(0.5);
    assertArrayEquals(new int[] {0}, route(router, 0, new float[] {0.6f, 0.3f, 0.1f}, 2));
    assertArrayEquals(new int[] {1, 2}, route(router, 0, P, 2));
  }

  @Test
  void adaptiveShedsTheWeakestOfManyExpertsOnceTheMassIsReached() {
    AdaptiveTopKRouter router = new AdaptiveTopKRouter(0.7);
    float[] p = {0.05f, 0.4f, 0.02f, 0.2f, 0.13f, 0.1f, 0.06f, 0.04f};
    assertArrayEquals(new int[] {1, 3, 4}, route(router, 0, p, 4)); // 0.4 + 0.2 + 0.13 >= 0.7
    assertArrayEquals(new int[] {1, 3}, route(router, 0, p, 2)); // never more than k
    assertArrayEquals(new int[] {1, 3, 4, 5, 6, 0, 7, 2}, route(new AdaptiveTopKRouter(1), 0, p, 8));
  }

  @Test
  void badParametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StickyRouter(1.5));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveTopKRouter(0));
    assertThrows(IllegalArgumentException.class, () -> new CacheAwareRouter((l, e) -> true, CacheAwareRouter.Rule.CUMULATIVE, 2));
  }
}

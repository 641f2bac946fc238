package dev.overture.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final float[] LOGITS = {1f, 5f, 3f, 4.9f, -2f, 0f};

  @Test
  void greedyPicksTheLargestLogit() {
    assertEquals(1, new Sampler(SamplingConfig.greedy(), LOGITS.length).sample(LOGITS, new int[0], 0));
  }

  @Test
  void repetitionPenaltyCountsATokenOnceHoweverOftenItRepeats() {
    // Two tokens, 4.0 and 3.0: a penalty of 1.5 once leaves token 0 ahead (2.67 against 2.0 for a
    // repeated token 1 at 3.0 / 1.5); compounded over its three repeats token 0 would fall to 1.19.
    float[] logits = {4f, 3f};
    SamplingConfig c = new SamplingConfig(0f, 0, 1f, 0f, 1.5f, 8, 0);
    Sampler sampler = new Sampler(c, logits.length);
    assertEquals(0, sampler.sample(logits, new int[] {0, 0, 0, 1}, 4));
    assertEquals(0, sampler.sample(logits, new int[] {0, 0, 0, 1}, 4), "the same on the next call");
  }

  @Test
  void repetitionPenaltyCanChangeTheGreedyChoice() {
    SamplingConfig c = new SamplingConfig(0f, 0, 1f, 0f, 1.5f, 8, 0);
    assertEquals(3, new Sampler(c, LOGITS.length).sample(LOGITS, new int[] {1}, 1));
  }

  @Test
  void theSameSeedReproducesTheSameTokens() {
    SamplingConfig c = SamplingConfig.sampled(1.5f, 99);
    Sampler a = new Sampler(c, LOGITS.length);
    Sampler b = new Sampler(c, LOGITS.length);
    for (int i = 0; i < 50; i++) {
      assertEquals(a.sample(LOGITS, new int[0], 0), b.sample(LOGITS, new int[0], 0));
    }
  }

  @Test
  void topKOfTwoOnlyEverReturnsTheTwoBest() {
    Sampler s = new Sampler(new SamplingConfig(5f, 2, 1f, 0f, 1f, 0, 3), LOGITS.length);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(s.sample(LOGITS, new int[0], 0));
    }
    assertEquals(Set.of(1, 3), seen);
  }

  @Test
  void topPKeepsTheSmallestSetReachingP() {
    float[] logits = {10f, 0f, 0f, 0f};
    Sampler s = new Sampler(new SamplingConfig(1f, 0, 0.5f, 0f, 1f, 0, 3), logits.length);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, s.sample(logits, new int[0], 0));
    }
  }

  @Test
  void minPDropsUnlikelyTokensButHighTemperatureExploresTheRest() {
    Sampler s = new Sampler(new SamplingConfig(10f, 0, 1f, 0.5f, 1f, 0, 5), LOGITS.length);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(s.sample(LOGITS, new int[0], 0));
    }
    // exp(4.9 - 5) = 0.90 >= 0.5; exp(3 - 5) = 0.14 < 0.5.
    assertEquals(Set.of(1, 3), seen);
  }

  @Test
  void largeTopKUsesTheHeapPathAndStillSamplesValidTokens() {
    float[] logits = new float[1000];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.sin(i);
    }
    Sampler s = new Sampler(new SamplingConfig(1f, 100, 1f, 0f, 1f, 0, 11), logits.length);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      int t = s.sample(logits, new int[0], 0);
      assertTrue(logits[t] > 0.9f, "token " + t + " is not among the top 100");
      seen.add(t);
    }
    assertNotEquals(1, seen.size());
  }

  @Test
  void invalidConfigurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(-1f, 0, 1f, 0f, 1f, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1f, 0, 0f, 0f, 1f, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1f, 0, 1f, 1f, 1f, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1f, 0, 1f, 0f, 0.5f, 0, 0));
  }

  @Test
  void aNaNLogitIsTheLeastLikelyNeverTheChoice() {
    float[] logits = {Float.NaN, 1f, 3f, 2f};
    assertEquals(2, new Sampler(SamplingConfig.greedy(), logits.length).sample(logits, new int[0], 0));
    SamplingConfig sampled = new SamplingConfig(1f, 2, 1f, 0f, 1f, 64, 7L);
    Sampler sampler = new Sampler(sampled, logits.length);
    for (int i = 0; i < 50; i++) {
      int token = sampler.sample(logits, new int[0], 0);
      assertTrue(token == 2 || token == 3, "token " + token);
    }
  }

  @Test
  void logitsWithoutAFiniteScoreAreAFailureNotAToken() {
    float[] logits = {Float.NaN, Float.NaN};
    assertThrows(IllegalStateException.class, () -> new Sampler(SamplingConfig.greedy(), 2).sample(logits, new int[0], 0));
  }
}

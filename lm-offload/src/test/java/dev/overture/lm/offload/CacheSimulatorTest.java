package dev.overture.lm.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheSimulatorTest {

  /** A one-layer, top-1 trace of the given expert sequence. */
  static RoutingTrace sequence(int experts, int... route) {
    RoutingTrace trace = new RoutingTrace(1, experts, 1);
    var recorder = trace.recorder();
    float[] probs = new float[experts];
    for (int t = 0; t < route.length; t++) {
      recorder.onRouting(0, t, new int[] {route[t]}, new float[] {1}, probs);
    }
    return trace;
  }

  @Test
  void lruOnACycleLargerThanTheCacheNeverHits() {
    RoutingTrace trace = sequence(4, 0, 1, 2, 0, 1, 2, 0, 1, 2);
    CacheSimulator.Result lru = CacheSimulator.replay(trace, new int[] {2}, ReplacementPolicy.LRU);
    assertEquals(0, lru.hits());
  }

  @Test
  void beladyKeepsWhatComesBackSoonest() {
    RoutingTrace trace = sequence(4, 0, 1, 2, 0, 1, 2, 0, 1, 2);
    // Belady with 2 slots on (012)^3: 0 1 2(evicts 1) 0:hit 1(evicts 0) 2:hit 0(evicts 2) 1:hit 2 = 3 hits.
    CacheSimulator.Result opt = CacheSimulator.replay(trace, new int[] {2}, ReplacementPolicy.BELADY);
    assertEquals(3, opt.hits());
  }

  @Test
  void lfuKeepsTheFrequentExpert() {
    RoutingTrace trace = sequence(4, 0, 0, 0, 1, 2, 0, 3, 0);
    CacheSimulator.Result lfu = CacheSimulator.replay(trace, new int[] {2}, ReplacementPolicy.LFU);
    CacheSimulator.Result lru = CacheSimulator.replay(trace, new int[] {2}, ReplacementPolicy.LRU);
    assertEquals(4, lfu.hits()); // LRU evicts 0 for 2 and misses it next: 3 hits
    assertTrue(lfu.hits() > lru.hits());
  }

  @Test
  void beladyIsNeverWorseThanTheOnlinePolicies() {
    Random random = new Random(11);
    int[] route = new int[500];
    for (int i = 0; i < route.length; i++) {
      route[i] = random.nextDouble() < 0.6 ? random.nextInt(3) : random.nextInt(16);
    }
    RoutingTrace trace = sequence(16, route);
    for (int capacity = 0; capacity <= 16; capacity++) {
      int[] c = {capacity};
      long opt = CacheSimulator.replay(trace, c, ReplacementPolicy.BELADY).hits();
      assertTrue(opt >= CacheSimulator.replay(trace, c, ReplacementPolicy.LRU).hits(), "capacity " + capacity);
      assertTrue(opt >= CacheSimulator.replay(trace, c, ReplacementPolicy.LFU).hits(), "capacity " + capacity);
    }
  }

  @Test
  void switchRateCountsChangedSets() {
    assertEquals(2.0 / 4, CacheSimulator.replay(sequence(4, 0, 0, 1, 1, 2), new int[] {1}, ReplacementPolicy.LRU).switchRate(), 1e-9);
  }

  @Test
  void traceSurvivesAFile(@TempDir Path dir) throws Exception {
    RoutingTrace trace = sequence(4, 3, 1, 2, 0);
    Path file = dir.resolve("t.ovrt");
    trace.write(file);
    RoutingTrace back = RoutingTrace.read(file);
    assertEquals(4, back.tokens());
    assertEquals(2, back.chosen(2, 0, 0));
    assertEquals(CacheSimulator.replay(trace, new int[] {2}, ReplacementPolicy.LRU).hits(),
        CacheSimulator.replay(back, new int[] {2}, ReplacementPolicy.LRU).hits());
  }
}

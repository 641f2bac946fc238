package dev.overture.lm.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.LoadOptions;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.chat.ChatMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cache inside the bundled MoE (8 experts, top-2, 6 layers): offloading never changes a logit,
 * and the live cache agrees with the simulator on the same routing.
 */
class ExpertCacheTest {

  static final Path MOE = Path.of("models/overture-moe-q8_0.gguf");

  static float[] logits(LoadOptions options, AtomicReference<ExpertCache> cache, RoutingTrace trace) throws Exception {
    try (LanguageModel model = LanguageModel.load(MOE, options)) {
      int[] prompt = ChatFormat.fromGguf(model.file().metadata(), model.tokenizer())
          .encode(model.tokenizer(), List.of(ChatMessage.user("What is a city?")), true);
      try (InferenceSession session = model.newSession(SessionOptions.defaults().withContextLength(256))) {
        if (trace != null) {
          session.setRoutingObserver(trace.recorder());
        }
        // One token at a time: a prefill batch asks for each expert once for all its tokens.
        for (int t : prompt) {
          session.decode(t);
        }
        float[] last = null;
        int token = 0;
        for (int i = 0; i < 8; i++) {
          last = session.logits().clone();
          token = argmax(last);
          session.decode(token);
        }
        return last;
      }
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void quarterResidentGivesTheSameLogitsAsAllResident() throws Exception {
    AtomicReference<ExpertCache> cache = new AtomicReference<>();
    float[] resident = logits(LoadOptions.defaults(), null, null);
    float[] offloaded = logits(LoadOptions.defaults().withExperts(source -> {
      ExpertCache c = ExpertCache.of(source, ExpertBudget.parse("25%"), ReplacementPolicy.LRU, LinkModel.none());
      cache.set(c);
      return c;
    }), cache, null);

    assertArrayEquals(resident, offloaded, 0f);
    OffloadStats stats = cache.get().stats();
    assertTrue(stats.loads() > 0 && stats.hits() > 0, stats.toString());
    assertEquals(stats.requests(), stats.hits() + stats.loads());
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2}, cache.get().residentCounts());
  }

  @Test
  void expertsReadWithDirectIoGiveTheSameLogits() throws Exception {
    AtomicReference<ExpertCache> cache = new AtomicReference<>();
    AtomicReference<DirectExpertSource> direct = new AtomicReference<>();
    float[] resident = logits(LoadOptions.defaults(), null, null);
    LoadOptions defaults = LoadOptions.defaults();
    float[] fromDisk = logits(defaults.withExperts(mapped -> {
      try {
        direct.set(DirectExpertSource.open(MOE, defaults.kernels().q8Layout()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      ExpertCache c = ExpertCache.of(direct.get(), ExpertBudget.parse("2/layer"), ReplacementPolicy.LFU, LinkModel.none());
      cache.set(c);
      return c;
    }), cache, null);
    direct.get().close();

    assertArrayEquals(resident, fromDisk, 0f);
    assertTrue(cache.get().stats().loads() > 12, cache.get().stats().toString());
  }

  @Test
  void liveCacheCountsWhatTheSimulatorPredicts() throws Exception {
    AtomicReference<ExpertCache> cache = new AtomicReference<>();
    RoutingTrace trace = new RoutingTrace(6, 8, 2);
    logits(LoadOptions.defaults().withExperts(source -> {
      ExpertCache c = ExpertCache.of(source, ExpertBudget.parse("3/layer"), ReplacementPolicy.LRU, LinkModel.none());
      cache.set(c);
      return c;
    }), cache, trace);

    CacheSimulator.Result simulated = CacheSimulator.replay(trace, new int[] {3, 3, 3, 3, 3, 3}, ReplacementPolicy.LRU);
    assertEquals(simulated.requests(), cache.get().stats().requests());
    assertEquals(simulated.hits(), cache.get().stats().hits());
  }

  @Test
  void prefetchChangesNoLogitAndCountsItsWork() throws Exception {
    AtomicReference<ExpertCache> cache = new AtomicReference<>();
    float[] resident = logits(LoadOptions.defaults(), null, null);
    float[] prefetched = logits(LoadOptions.defaults().withExperts(source -> {
      ExpertCache c = ExpertCache.of(source, ExpertBudget.parse("50%"), LayerAllocation.UNIFORM, ReplacementPolicy.LRU, LinkModel.none(), true);
      cache.set(c);
      return c;
    }), cache, null);
    cache.get().close();

    assertArrayEquals(resident, prefetched, 0f);
    OffloadStats stats = cache.get().stats();
    assertTrue(stats.prefetches() > 0, stats.toString());
    assertTrue(stats.prefetchUsed() + stats.prefetchLate() + stats.prefetchWasted() <= stats.prefetches(), stats.toString());
    assertTrue(stats.prefetchPrecision() >= 0 && stats.prefetchPrecision() <= 1, stats.toString());
  }

  /** Logits after the prompt, routed by {@code router} (null: exact), recording into {@code trace}. */
  static float[] prefillLogits(dev.overture.lm.ExpertRouter router, RoutingTrace trace) throws Exception {
    try (LanguageModel model = LanguageModel.load(MOE)) {
      int[] prompt = ChatFormat.fromGguf(model.file().metadata(), model.tokenizer())
          .encode(model.tokenizer(), List.of(ChatMessage.user("What is a city?")), true);
      try (InferenceSession session = model.newSession(SessionOptions.defaults().withContextLength(256))) {
        session.setExpertRouter(router);
        session.setRoutingObserver(trace.recorder());
        session.prefill(prompt);
        return session.logits().clone();
      }
    }
  }

  @Test
  void routerThatChangesTheRouteChangesTheOutput() throws Exception {
    RoutingTrace exactTrace = new RoutingTrace(6, 8, 2);
    RoutingTrace adaptiveTrace = new RoutingTrace(6, 8, 2);
    float[] exact = prefillLogits(null, exactTrace);
    float[] adaptive = prefillLogits(new AdaptiveTopKRouter(0.01), adaptiveTrace); // every token to one expert

    assertEquals(-1, adaptiveTrace.chosen(0, 0, 1), "the second slot is left empty");
    assertTrue(exactTrace.chosen(0, 0, 1) >= 0);
    assertTrue(!java.util.Arrays.equals(exact, adaptive), "one expert per token must change the logits");
    assertArrayEquals(exact, prefillLogits(dev.overture.lm.ExpertRouter.exact(), new RoutingTrace(6, 8, 2)), 0f);
  }

  /** Experts of no weight (the cache never looks inside them) whose decoding runs {@code decode}. */
  record FakeSource(int layers, int expertsPerLayer, long expertHeapBytes, java.util.function.IntConsumer decode) implements dev.overture.lm.ExpertSource {
    @Override
    public dev.overture.lm.ExpertWeights decode(int layer, int expert) {
      decode.accept(expert);
      return null;
    }
  }

  @Test
  void loadersLoadALayersMissesConcurrently() {
    java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(4);
    FakeSource source = new FakeSource(1, 8, 1000, e -> {
      allStarted.countDown();
      try { // a serial loader would wait here for loads that never start
        assertTrue(allStarted.await(10, java.util.concurrent.TimeUnit.SECONDS), "the four misses did not load at the same time");
      } catch (InterruptedException ex) {
        throw new AssertionError(ex);
      }
    });
    try (ExpertCache c = new ExpertCache(source, new int[] {4}, ReplacementPolicy.LRU, LinkModel.none(), false, 4)) {
      c.willUse(0, new int[] {0, 1, 2, 3}, 4);
      for (int e = 0; e < 4; e++) {
        c.expert(0, e);
      }
      c.expert(0, 2);

      assertEquals(new OffloadStats(5, 1, 4, 4000, c.stats().waitNanos(), 0, 0, 0, 0), c.stats());
      assertArrayEquals(new int[] {4}, c.residentCounts());
    }
  }

  @Test
  void demandLoadsGoBeforeQueuedPrefetches() throws Exception {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    List<Integer> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    FakeSource source = new FakeSource(1, 8, 1000, e -> {
      order.add(e);
      if (e == 0) {
        try {
          gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          throw new AssertionError(ex);
        }
      }
    });
    try (ExpertCache c = new ExpertCache(source, new int[] {8}, ReplacementPolicy.LRU, LinkModel.none(), true, 1)) {
      c.predicted(0, new float[] {0.5f, 0.3f, 0.2f, 0, 0, 0, 0, 0}, 3); // the one loader takes expert 0 and blocks
      while (order.isEmpty()) {
        Thread.onSpinWait();
      }
      c.willUse(0, new int[] {5}, 1);
      gate.countDown();
      while (order.size() < 4) {
        Thread.onSpinWait();
      }

      assertEquals(List.of(0, 5, 1, 2), order, "the demand load must overtake the queued prefetches of 1 and 2");
    }
  }

  /** A source whose expert 0 blocks its loader until {@code gate} opens; records which thread decoded what. */
  static FakeSource blockingOnExpertZero(java.util.concurrent.CountDownLatch gate, List<String> decodedBy) {
    return new FakeSource(1, 8, 1000, e -> {
      decodedBy.add(e + " on " + Thread.currentThread().getName());
      if (e == 0) {
        try {
          gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          throw new AssertionError(ex);
        }
      }
    });
  }

  @Test
  void requestForAQueuedLoadRunsItOnTheRequestingThread() {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    List<String> decodedBy = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (ExpertCache c = new ExpertCache(blockingOnExpertZero(gate, decodedBy), new int[] {8}, ReplacementPolicy.LRU, LinkModel.none(), true, 1)) {
      c.predicted(0, new float[] {0.6f, 0.4f, 0, 0, 0, 0, 0, 0}, 2); // the loader blocks on 0; 1 waits in the queue
      while (decodedBy.isEmpty()) {
        Thread.onSpinWait();
      }
      c.expert(0, 1);

      assertEquals("1 on " + Thread.currentThread().getName(), decodedBy.get(1), "a queued prefetch must not keep its requester waiting");
      assertEquals(1, c.stats().prefetchLate());
      gate.countDown();
    }
  }

  @Test
  void closeDropsQueuedLoadsAndTheirRequestsStillLoad() {
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    List<String> decodedBy = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    ExpertCache c = new ExpertCache(blockingOnExpertZero(gate, decodedBy), new int[] {8}, ReplacementPolicy.LRU, LinkModel.none(), true, 1);
    c.predicted(0, new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 1);
    while (decodedBy.isEmpty()) {
      Thread.onSpinWait();
    }
    c.willUse(0, new int[] {3}, 1);
    c.close();
    c.willUse(0, new int[] {4}, 1); // after close: nothing starts, nothing hangs

    c.expert(0, 3);
    c.expert(0, 4);
    gate.countDown();

    assertEquals(List.of("0 on overture-expert-loader-1", "3 on " + Thread.currentThread().getName(), "4 on " + Thread.currentThread().getName()),
        decodedBy);
  }

  @Test
  void withoutLoadersEachMissLoadsWhenRequested() {
    java.util.concurrent.atomic.AtomicInteger decoded = new java.util.concurrent.atomic.AtomicInteger();
    FakeSource source = new FakeSource(1, 8, 1000, e -> decoded.incrementAndGet());
    try (ExpertCache c = new ExpertCache(source, new int[] {2}, ReplacementPolicy.LRU, LinkModel.none(), false, 0)) {
      c.willUse(0, new int[] {0, 1}, 2);
      assertEquals(0, decoded.get());
      c.expert(0, 0);
      assertEquals(1, decoded.get());
    }
    assertThrows(IllegalArgumentException.class, () -> new ExpertCache(source, new int[] {2}, ReplacementPolicy.LRU, LinkModel.none(), false, -1));
  }

  @Test
  void concurrentLoadsShareTheEmulatedLinksBandwidth() {
    LinkModel slow = new LinkModel("slow", 1e6, 0); // 20 ms per 20 kB expert
    FakeSource source = new FakeSource(1, 8, 20_000, e -> {});
    try (ExpertCache c = new ExpertCache(source, new int[] {4}, ReplacementPolicy.LRU, slow, false, 4)) {
      long start = System.nanoTime();
      c.willUse(0, new int[] {0, 1, 2, 3}, 4);
      for (int e = 0; e < 4; e++) {
        c.expert(0, e);
      }
      long elapsed = System.nanoTime() - start;
      assertTrue(elapsed >= 4 * slow.transferNanos(20_000), "four transfers share one link: " + elapsed / 1e6 + " ms");
    }
  }

  @Test
  void emulatedLinkMakesLoadsWait() {
    assertEquals(80_000 + 1_000_000, LinkModel.parse("nvme").nanosFor(3_000_000));
    assertThrows(IllegalArgumentException.class, () -> LinkModel.parse("floppy"));
  }
}

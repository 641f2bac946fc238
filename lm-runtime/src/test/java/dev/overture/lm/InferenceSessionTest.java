package dev.overture.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.PortableKernels;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InferenceSessionTest {
  static final ModelShape DENSE = new ModelShape("llama", 64, 2, 4, 2, 96, 512, 0, 0, true, 64);
  static final ModelShape MOE = new ModelShape("llama", 64, 2, 4, 2, 64, 512, 4, 2, true, 64);
  static final int[] PROMPT = {5, 77, 300, 12, 9, 480, 263, 264, 100, 7, 42};

  @TempDir Path dir;

  private Path write(ModelShape shape, GgmlType type) throws IOException {
    Path p = dir.resolve(shape.architecture() + "-" + shape.experts() + "-" + type + (shape.tiedEmbeddings() ? "-tied" : "") + ".gguf");
    new SyntheticModelWriter(shape, type, 42).write(p);
    return p;
  }

  private static LanguageModel load(Path p) throws IOException {
    return LanguageModel.load(p, LoadOptions.defaults().withKernels(new PortableKernels()));
  }

  /** Runs the prompt token by token and returns every position's logits. */
  private static float[][] decodeEach(LanguageModel model, int[] tokens, int threads) {
    try (InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64).withThreads(threads))) {
      float[][] out = new float[tokens.length][];
      for (int i = 0; i < tokens.length; i++) {
        out[i] = s.decode(tokens[i]).clone();
      }
      return out;
    }
  }

  /** Each logit within {@code tolerance} times the largest magnitude in its row. */
  private static void assertClose(double[][] expected, float[][] actual, double tolerance) {
    for (int t = 0; t < expected.length; t++) {
      double scale = 0;
      for (double v : expected[t]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < expected[t].length; i++) {
        double diff = Math.abs(expected[t][i] - actual[t][i]);
        if (diff > tolerance * scale) {
          throw new AssertionError("position " + t + " logit " + i + ": expected " + expected[t][i] + " but was " + actual[t][i] + " (tolerance " + tolerance + " x " + scale + ")");
        }
      }
    }
  }

  private void assertMatchesReference(ModelShape shape, GgmlType type, double tolerance) throws IOException {
    Path p = write(shape, type);
    double[][] expected = new ReferenceTransformer(p).logits(PROMPT);
    try (LanguageModel model = load(p)) {
      assertClose(expected, decodeEach(model, PROMPT, 1), tolerance);
    }
  }

  @Test
  void denseTiedLlamaMatchesReference() throws IOException {
    assertMatchesReference(DENSE, GgmlType.F32, 1e-4);
  }

  @Test
  void untiedQwen2WithBiasesMatchesReference() throws IOException {
    assertMatchesReference(DENSE.withArchitecture("qwen2").withTiedEmbeddings(false), GgmlType.F32, 1e-4);
  }

  @Test
  void mixtureOfExpertsMatchesReference() throws IOException {
    assertMatchesReference(MOE, GgmlType.F32, 1e-4);
  }

  /** OLMoE: Q/K RMSNorm over whole projections, neox RoPE, raw (not renormalized) top-k weights. */
  @Test
  void olmoeMatchesReference() throws IOException {
    ModelShape olmoe = new ModelShape("olmoe", 64, 2, 4, 4, 64, 512, 4, 2, false, 64);
    assertMatchesReference(olmoe, GgmlType.F32, 1e-4);
    assertMatchesReference(olmoe, GgmlType.Q8_0, 0.04);
  }

  /** qwen2moe: biases, neox RoPE, raw top-k weights, plus the sigmoid-gated shared expert. */
  @Test
  void qwen2moeMatchesReference() throws IOException {
    ModelShape qwen2moe = new ModelShape("qwen2moe", 64, 2, 4, 2, 64, 512, 4, 2, false, 64);
    assertMatchesReference(qwen2moe, GgmlType.F32, 1e-4);
    assertMatchesReference(qwen2moe, GgmlType.Q8_0, 0.04);
  }

  @Test
  void olmoeShapesThatLlamaCppCannotLoadAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ModelShape("olmoe", 64, 2, 4, 4, 64, 512, 0, 0, false, 64));
    assertThrows(IllegalArgumentException.class, () -> new ModelShape("olmoe", 64, 2, 4, 2, 64, 512, 4, 2, false, 64));
    assertThrows(IllegalArgumentException.class, () -> new ModelShape("olmoe", 64, 2, 4, 4, 64, 512, 4, 2, true, 64));
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F16", "BF16"})
  void halfPrecisionWeightsMatchReference(GgmlType type) throws IOException {
    assertMatchesReference(DENSE, type, 1e-4);
  }

  /**
   * Quantized products also quantize activations to 8 bits (as llama.cpp does), which moves
   * logits by a few percent of their range; with exact activations they match to 1e-4.
   */
  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0"})
  void quantizedWeightsMatchReference(GgmlType type) throws IOException {
    assertMatchesReference(DENSE, type, 0.04);
    assertMatchesReference(MOE, type, 0.04);
  }

  @Test
  void batchedPrefillMatchesTokenByTokenDecode() throws IOException {
    try (LanguageModel model = load(write(MOE, GgmlType.Q8_0))) {
      float[][] each = decodeEach(model, PROMPT, 1);
      try (InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64).withBatchSize(4))) {
        float[] last = s.prefill(PROMPT);
        assertArrayEquals(each[PROMPT.length - 1], last, 1e-4f);
        assertEquals(PROMPT.length, s.position());
      }
    }
  }

  @Test
  void twoThreadsGiveTheSameLogitsAsOne() throws IOException {
    try (LanguageModel model = load(write(MOE, GgmlType.Q8_0))) {
      float[][] one = decodeEach(model, PROMPT, 1);
      float[][] two = decodeEach(model, PROMPT, 2);
      for (int t = 0; t < PROMPT.length; t++) {
        assertArrayEquals(one[t], two[t], 0f, "position " + t);
      }
    }
  }

  @Test
  void rollbackThenPrefillMatchesAFreshSession() throws IOException {
    try (LanguageModel model = load(write(DENSE, GgmlType.F32))) {
      int[] revised = {5, 77, 300, 401, 402};
      float[] fresh;
      try (InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
        fresh = s.prefill(revised).clone();
      }
      try (InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
        s.prefill(PROMPT);
        s.rollback(3);
        assertThrows(IllegalStateException.class, s::logits);
        float[] after = s.prefill(new int[] {401, 402});
        assertArrayEquals(fresh, after, 1e-5f);
        assertArrayEquals(revised, s.tokens());
      }
    }
  }

  @Test
  void reusePrefixKeepsTheSharedTokensAndLeavesOneToProcess() throws IOException {
    try (LanguageModel model = load(write(DENSE, GgmlType.F32));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
      s.prefill(PROMPT);
      int[] nextTurn = {5, 77, 300, 12, 1, 2};
      assertEquals(4, s.reusePrefix(nextTurn));
      assertEquals(4, s.position());
      assertEquals(4, s.reusePrefix(PROMPT), "only the 4 tokens still cached can be reused");
    }
  }

  @Test
  void aRouterThatChoosesAnExpertTwiceIsRefused() throws IOException {
    try (LanguageModel model = load(write(MOE, GgmlType.F32));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
      s.setExpertRouter((layer, probabilities, k, chosen) -> {
        chosen[0] = 1;
        chosen[1] = 1;
        return 2;
      });
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.prefill(new int[] {PROMPT[0]}));
      assertTrue(e.getMessage().contains("expert 1 twice"), e.getMessage());
    }
  }

  @Test
  void scoreContinuationRefusesAFirstTokenOutsideTheVocabulary() throws IOException {
    Path p = write(DENSE, GgmlType.F32);
    try (LanguageModel model = load(p);
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
      s.prefill(new int[] {PROMPT[0]});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.scoreContinuation(new int[] {-1, PROMPT[1]}));
      assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
      assertEquals(1, s.position(), "nothing was run");
    }
  }

  @Test
  void scoreContinuationGivesLogSoftmaxOfEachToken() throws IOException {
    Path p = write(DENSE, GgmlType.F32);
    double[][] ref = new ReferenceTransformer(p).logits(PROMPT);
    try (LanguageModel model = load(p);
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64).withBatchSize(3))) {
      s.prefill(new int[] {PROMPT[0], PROMPT[1]});
      int[] rest = java.util.Arrays.copyOfRange(PROMPT, 2, PROMPT.length);
      float[] scores = s.scoreContinuation(rest);
      for (int i = 0; i < rest.length; i++) {
        double[] row = ref[i + 1];
        double max = java.util.Arrays.stream(row).max().getAsDouble();
        double logSum = Math.log(java.util.Arrays.stream(row).map(v -> Math.exp(v - max)).sum()) + max;
        assertEquals(row[rest[i]] - logSum, scores[i], 2e-3, "token " + i);
        assertTrue(scores[i] <= 0f);
      }
      assertEquals(PROMPT.length, s.position());
    }
  }

  @Test
  void routingObserverSeesEveryLayerAndTokenWithNormalizedWeights() throws IOException {
    try (LanguageModel model = load(write(MOE, GgmlType.F32));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
      List<String> seen = new ArrayList<>();
      s.setRoutingObserver((layer, position, experts, weights, probabilities) -> {
        assertEquals(2, experts.length);
        assertTrue(experts[0] != experts[1]);
        assertEquals(1f, weights[0] + weights[1], 1e-5f);
        assertTrue(probabilities[experts[0]] >= probabilities[experts[1]]);
        seen.add(layer + ":" + position);
      });
      s.prefill(PROMPT);
      assertEquals(MOE.layers() * PROMPT.length, seen.size());
      assertTrue(seen.contains("1:" + (PROMPT.length - 1)));
    }
  }

  @Test
  void overflowingTheContextThrowsAndKeepsTheCache() throws IOException {
    try (LanguageModel model = load(write(DENSE, GgmlType.F32));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(12))) {
      s.prefill(PROMPT);
      ContextFullException e = assertThrows(ContextFullException.class, () -> s.prefill(new int[] {1, 2}));
      assertEquals(12, e.capacity());
      assertEquals(PROMPT.length, s.position());
      s.decode(3);
      assertEquals(12, s.position());
    }
  }

  /**
   * A per-token allocation shows in every window; a one-off (JIT, class loading, the management
   * bean itself) does not, so the least of three windows is what decoding costs.
   */
  @Test
  void decodingAllocatesNothingPerToken() throws IOException {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (LanguageModel model = load(write(MOE, GgmlType.Q8_0));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(64))) {
      Sampler sampler = new Sampler(SamplingConfig.sampled(0.8f, 1), MOE.vocab());
      int[] history = PROMPT.clone();
      long least = Long.MAX_VALUE;
      for (int window = 0; window < 3; window++) {
        s.rollback(0);
        s.prefill(PROMPT);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 40; i++) {
          s.decode(sampler.sample(s.logits(), history, history.length));
        }
        least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
      }
      assertTrue(least / 40 < 8, "decode allocated " + least / 40 + " bytes per token");
    }
  }


  @Test
  void aQwen2FileWithExpertsIsRejectedAsNoSuchArchitecture() {
    assertThrows(IllegalArgumentException.class, () -> MOE.withArchitecture("qwen2"));
  }

  @Test
  void tokenOutsideTheVocabularyIsRejected() throws IOException {
    try (LanguageModel model = load(write(DENSE, GgmlType.F32));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(12))) {
      assertThrows(IllegalArgumentException.class, () -> s.prefill(new int[] {1, 512}));
      assertEquals(0, s.position());
    }
  }
}

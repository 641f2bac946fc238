package dev.overture.lm.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.lm.kernel.KernelSelection;
import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.PortableKernels;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.LoadOptions;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Both widths against the portable kernels: {@code jdk.incubator.vector} emulates 512-bit vectors where the CPU lacks them. */
class VectorKernelsContractTest {
  static java.util.List<Kernels> widths() {
    return java.util.Arrays.asList(new Vector256Kernels(), new Vector512Kernels());
  }

  private final Kernels portable = new PortableKernels();
  private final Random random = new Random(7);

  private float[] floats(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  @ParameterizedTest
  @MethodSource("widths")
  void dotMatchesPortableForEveryLengthAndOffset(Kernels vector) {
    for (int n = 0; n < 70; n++) {
      float[] a = floats(n + 3);
      float[] b = floats(n + 5);
      assertEquals(portable.dot(a, 3, b, 5, n), vector.dot(a, 3, b, 5, n), 1e-4f * (n + 1), "n=" + n);
    }
  }

  @ParameterizedTest
  @MethodSource("widths")
  void dotQ8IsExactOnExtremeValues(Kernels vector) {
    byte[] w = new byte[64];
    byte[] x = new byte[64];
    for (int i = 0; i < 64; i++) {
      w[i] = (byte) (i % 2 == 0 ? -128 : 127);
      x[i] = (byte) (i % 3 == 0 ? -127 : 127);
    }
    float[] ws = {0.5f, 0.25f};
    float[] xs = {2f, 4f};
    long expected = 0;
    for (int blk = 0; blk < 2; blk++) {
      long s = 0;
      for (int i = 0; i < 32; i++) {
        s += w[blk * 32 + i] * x[blk * 32 + i];
      }
      expected += (long) (s * ws[blk] * xs[blk]);
    }
    assertEquals(expected, vector.dotQ8(w, 0, ws, 0, x, 0, xs, 0, 2), 1e-3);
    assertEquals(portable.dotQ8(w, 0, ws, 0, x, 0, xs, 0, 2), vector.dotQ8(w, 0, ws, 0, x, 0, xs, 0, 2), 1e-3);
  }

  @ParameterizedTest
  @MethodSource("widths")
  void dotQ8MatchesPortableOnRandomBlocks(Kernels vector) {
    byte[] w = new byte[32 * 20];
    byte[] x = new byte[32 * 20 + 32];
    random.nextBytes(w);
    for (int i = 0; i < x.length; i++) {
      x[i] = (byte) (random.nextInt(255) - 127);
    }
    float[] ws = floats(20);
    float[] xs = floats(21);
    assertEquals(portable.dotQ8(w, 0, ws, 0, x, 32, xs, 1, 20), vector.dotQ8(w, 0, ws, 0, x, 32, xs, 1, 20), 1e-2f);
  }

  @ParameterizedTest
  @MethodSource("widths")
  void axpyMatchesPortable(Kernels vector) {
    for (int n : new int[] {1, 7, 8, 31, 64, 100}) {
      float[] x = floats(n + 1);
      float[] y1 = floats(n + 2);
      float[] y2 = y1.clone();
      portable.axpy(0.37f, x, 1, y1, 2, n);
      vector.axpy(0.37f, x, 1, y2, 2, n);
      assertArrayEquals(y1, y2, 1e-6f, "n=" + n);
    }
  }

  @ParameterizedTest
  @MethodSource("widths")
  void axpyQ8IsExactLikePortable(Kernels vector) {
    for (int n : new int[] {1, 15, 16, 33, 256}) {
      byte[] x = new byte[n + 3];
      random.nextBytes(x);
      float[] y1 = new float[n + 1];
      float[] y2 = new float[n + 1];
      for (int step = 0; step < Kernels.Q8_BLOCK; step++) { // a whole block of extreme products stays exact
        portable.axpyQ8(-127, x, 3, y1, 1, n);
        vector.axpyQ8(-127, x, 3, y2, 1, n);
      }
      assertArrayEquals(y1, y2, "n=" + n);
      assertEquals(-127f * 32 * x[3], y2[1], "n=" + n);
    }
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0", "Q4_0"})
  void aWholeMoeModelGivesTheSameLogitsOnBothKernelSets(GgmlType type, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("moe.gguf");
    new SyntheticModelWriter(new ModelShape("llama", 128, 2, 4, 2, 96, 600, 4, 2, true, 64), type, 5).write(file);
    int[] prompt = {3, 300, 301, 400, 17, 99, 250};
    float[] expected = lastLogits(file, portable, prompt);
    for (Kernels vector : widths()) {
      assertArrayEquals(expected, lastLogits(file, vector, prompt), 2e-3f, vector.name());
    }
  }

  private static float[] lastLogits(Path file, Kernels kernels, int[] prompt) throws IOException {
    try (LanguageModel model = LanguageModel.load(file, LoadOptions.defaults().withKernels(kernels));
        InferenceSession s = model.newSession(SessionOptions.defaults().withContextLength(32))) {
      return s.prefill(prompt).clone();
    }
  }

  @Test
  void selectionPicksVectorKernelsWhenTheModuleIsPresent() {
    KernelSelection selection = KernelSelection.select();
    int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    Class<? extends Kernels> expected = bits >= 512 ? Vector512Kernels.class : Vector256Kernels.class;
    assertEquals(expected, selection.kernels().getClass(), selection.describe());
    assertEquals("kernels: vector-" + (bits >= 512 ? 512 : 256), selection.describe());
  }
}

package dev.overture.lm.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.lm.kernel.Kernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same inputs give the same bits whether the kernels run interpreted or JIT-compiled: the
 * Vector API leaves the order of {@code reduceLanes(ADD)} open, and HotSpot's tiers pick different
 * ones, which made two runs of one prompt differ in the last bits of the logits (and, with
 * near-ties, in the greedy token).
 */
class VectorKernelsDeterminismTest {
  @ParameterizedTest
  @ValueSource(ints = {256, 512})
  void interpretedAndCompiledResultsAreBitIdentical(int bits) throws IOException, InterruptedException {
    Kernels kernels = bits == 512 ? new Vector512Kernels() : new Vector256Kernels();
    String compiled = "";
    for (int i = 0; i < 6_000; i++) { // enough calls for C2 to compile the kernels
      compiled = LaneOrderProbe.results(kernels);
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = Arrays.asList(java, "-Xint", "--add-modules", "jdk.incubator.vector",
        "-cp", System.getProperty("java.class.path"), LaneOrderProbe.class.getName(), Integer.toString(bits));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String interpreted = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals(interpreted, compiled);
  }
}

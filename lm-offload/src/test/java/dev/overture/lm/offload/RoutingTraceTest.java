package dev.overture.lm.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTraceTest {

  @TempDir Path dir;

  /** Two tokens through two layers of four experts, top-2. */
  private Path written() throws IOException {
    RoutingTrace trace = new RoutingTrace(2, 4, 2);
    dev.overture.lm.RoutingObserver recorder = trace.recorder();
    for (int token = 0; token < 2; token++) {
      for (int layer = 0; layer < 2; layer++) {
        float[] probs = {0.1f * (token + 1), 0.2f, 0.3f, 0.4f - layer * 0.1f};
        recorder.onRouting(layer, token, new int[] {3 - layer, token}, new float[] {0.6f, 0.4f}, probs);
      }
    }
    Path file = dir.resolve("trace.bin");
    trace.write(file);
    return file;
  }

  @Test
  void aWrittenTraceReadsBackTheSame() throws IOException {
    RoutingTrace read = RoutingTrace.read(written());
    assertEquals(2, read.tokens());
    assertEquals(2, read.chosen(1, 1, 0));
    assertEquals(1, read.chosen(1, 0, 1));
    assertEquals(0.2f, read.probability(1, 0, 0));
    assertEquals(0.3f, read.probability(0, 1, 3), 1e-6f);
  }

  @Test
  void aHeaderClaimingMoreTokensThanTheFileHoldsIsATypedError() throws IOException {
    Path file = written();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(5 * Integer.BYTES); // the token count
      raf.writeInt(1_000_000_000); // 4 * 10^9 probabilities: would overflow the index or exhaust memory
    }
    IOException e = assertThrows(IOException.class, () -> RoutingTrace.read(file));
    assertTrue(e.getMessage().contains("1000000000 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("but the file holds " + Files.size(file)), e.getMessage());
  }

  @Test
  void aTruncatedTraceIsATypedError() throws IOException {
    Path file = written();
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    IOException e = assertThrows(IOException.class, () -> RoutingTrace.read(file));
    assertTrue(e.getMessage().contains("describes"), e.getMessage());
  }
}

package dev.overture.lm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.PortableKernels;
import dev.overture.lm.kernel.Q8Layout;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class Q8ColumnMatrixTest {
  private static Activation input(int tokens, int cols, long seed) {
    Activation in = new Activation(tokens, cols);
    System.arraycopy(WeightMatrixTest.gaussian(tokens * cols, seed), 0, in.values(), 0, tokens * cols);
    in.changed();
    in.ensureQuantized();
    return in;
  }

  @ParameterizedTest
  @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0"})
  void rowsAreTheSameValuesAsTheRowLayout(GgmlType type) {
    int rows = 7, cols = 96;
    ByteBuffer data = TensorEncoder.encode(type, WeightMatrixTest.gaussian(rows * cols, 1));
    WeightMatrix byRows = WeightMatrix.decode(type, data, rows, cols, Q8Layout.ROWS);
    WeightMatrix byColumns = WeightMatrix.decode(type, data, rows, cols, Q8Layout.COLUMNS);
    assertEquals("q8-columns", byColumns.storage());
    assertEquals(byRows.heapBytes(), byColumns.heapBytes());
    float[] a = new float[cols];
    float[] b = new float[cols];
    for (int r = 0; r < rows; r++) {
      byRows.copyRow(r, a, 0);
      byColumns.copyRow(r, b, 0);
      assertArrayEquals(a, b, "row " + r);
    }
  }

  /**
   * Integer products are exact in both layouts and the block sums are added in the same order, so
   * the products agree bit for bit, across tiles, row ranges (threads) and several input vectors.
   */
  @Test
  void productIsBitIdenticalToTheRowLayout() {
    int rows = Q8ColumnMatrix.TILE + 45, cols = 160, tokens = 3;
    ByteBuffer data = TensorEncoder.encode(GgmlType.Q8_0, WeightMatrixTest.gaussian(rows * cols, 2));
    WeightMatrix byRows = WeightMatrix.decode(GgmlType.Q8_0, data, rows, cols, Q8Layout.ROWS);
    WeightMatrix byColumns = WeightMatrix.decode(GgmlType.Q8_0, data, rows, cols, Q8Layout.COLUMNS);
    Activation in = input(tokens, cols, 3);
    float[] expected = new float[tokens * rows];
    float[] actual = new float[tokens * rows];
    PortableKernels k = new PortableKernels();
    byRows.multiply(k, in, expected, 0, rows, 0, rows);
    byColumns.multiply(k, in, actual, 0, rows, 0, 100);
    byColumns.multiply(k, in, actual, 0, rows, 100, rows);
    assertArrayEquals(expected, actual);
  }

  @Test
  void productOnlyWritesItsRowRange() {
    int rows = 40, cols = 64;
    WeightMatrix m = WeightMatrix.decode(GgmlType.Q8_0, TensorEncoder.encode(GgmlType.Q8_0, WeightMatrixTest.gaussian(rows * cols, 4)),
        rows, cols, Q8Layout.COLUMNS);
    float[] out = new float[rows + 2];
    java.util.Arrays.fill(out, 99f);
    m.multiply(new PortableKernels(), input(1, cols, 5), out, 1, rows, 10, 20);
    for (int i = 0; i < out.length; i++) {
      if (i < 11 || i >= 21) {
        assertEquals(99f, out[i], "index " + i);
      }
    }
  }

  @Test
  void rowsNotMadeOfWholeBlocksAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeightMatrix.decode(GgmlType.Q8_0, ByteBuffer.allocate(340), 10, 33, Q8Layout.COLUMNS));
    assertEquals("Q8_0 rows must be a multiple of 32 long, got 33", e.getMessage());
  }
}

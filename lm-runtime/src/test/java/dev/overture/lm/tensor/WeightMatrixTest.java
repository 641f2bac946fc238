package dev.overture.lm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.PortableKernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightMatrixTest {
  /** Seeded standard-normal values (shared with the other matrix tests of this package). */
  static float[] gaussian(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void q8RoundTripErrorIsWithinHalfAStep() {
    float[] v = gaussian(4 * 64, 1);
    float[] back = TensorEncoder.roundTrip(GgmlType.Q8_0, v, 4, 64);
    for (int b = 0; b < v.length / 32; b++) {
      float amax = 0;
      for (int i = 0; i < 32; i++) {
        amax = Math.max(amax, Math.abs(v[b * 32 + i]));
      }
      for (int i = 0; i < 32; i++) {
        assertEquals(v[b * 32 + i], back[b * 32 + i], amax / 127 * 0.51 + 1e-3 * amax);
      }
    }
  }

  @Test
  void q4RoundTripErrorIsWithinOneStep() {
    float[] v = gaussian(2 * 32, 2);
    float[] back = TensorEncoder.roundTrip(GgmlType.Q4_0, v, 2, 32);
    for (int b = 0; b < 2; b++) {
      float amax = 0;
      for (int i = 0; i < 32; i++) {
        amax = Math.max(amax, Math.abs(v[b * 32 + i]));
      }
      for (int i = 0; i < 32; i++) {
        assertEquals(v[b * 32 + i], back[b * 32 + i], amax / 8 + 1e-3);
      }
    }
  }

  @Test
  void q8ProductMatchesTheFloatProductClosely() {
    int rows = 8, cols = 128;
    float[] w = gaussian(rows * cols, 3);
    float[] x = gaussian(cols, 4);
    WeightMatrix q = WeightMatrix.decode(GgmlType.Q8_0, TensorEncoder.encode(GgmlType.Q8_0, w), rows, cols);
    WeightMatrix f = F32Matrix.of(rows, cols, w);
    Activation in = new Activation(1, cols);
    System.arraycopy(x, 0, in.values(), 0, cols);
    in.changed();
    in.ensureQuantized();
    float[] outQ = new float[rows];
    float[] outF = new float[rows];
    q.multiply(new PortableKernels(), in, outQ, 0, rows, 0, rows);
    f.multiply(new PortableKernels(), in, outF, 0, rows, 0, rows);
    assertArrayEquals(outF, outQ, 0.25f);
  }

  @Test
  void q4kDecodesScalesMinsAndNibbles() {
    // One super-block: d = 1, dmin = 0.5, sub-block 0 scale 2 / min 3, sub-block 1 scale 4 / min 1.
    ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(0, Float16.fromFloat(1f));
    b.putShort(2, Float16.fromFloat(0.5f));
    b.put(4, (byte) 2);
    b.put(5, (byte) 4);
    b.put(8, (byte) 3);
    b.put(9, (byte) 1);
    b.put(16, (byte) 0x5A); // value 0: low nibble 0xA; value 32: high nibble 0x5
    float[] out = new float[256];
    WeightMatrix.decode(GgmlType.Q4_K, b, 1, 256).copyRow(0, out, 0);
    assertEquals(2 * 10 - 0.5f * 3, out[0]);
    assertEquals(4 * 5 - 0.5f * 1, out[32]);
    assertEquals(-0.5f * 3, out[1]);
  }

  @Test
  void q6kDecodesSixBitValuesWithSignedScales() {
    ByteBuffer b = ByteBuffer.allocate(210).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) 0x21);      // ql[0]: value 0 low nibble 1, value 64 low nibble 2
    b.put(128, (byte) 0b0011);  // qh[0]: value 0 high bits 3
    b.put(192, (byte) -2);      // scale of values 0..15
    b.put(196, (byte) 5);       // scale of values 64..79
    b.putShort(208, Float16.fromFloat(0.25f));
    float[] out = new float[256];
    WeightMatrix.decode(GgmlType.Q6_K, b, 1, 256).copyRow(0, out, 0);
    assertEquals(0.25f * -2 * ((1 | 3 << 4) - 32), out[0]);
    assertEquals(0.25f * 5 * (2 - 32), out[64]);
  }

  @Test
  void shortBuffersAndUnsupportedTypesAreRejectedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeightMatrix.decode(GgmlType.Q8_0, ByteBuffer.allocate(33), 1, 32));
    assertEquals("Q8_0 matrix 1 x 32 needs 34 bytes, buffer has 33", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WeightMatrix.decode(GgmlType.Q5_K, ByteBuffer.allocate(176), 1, 256));
  }
}

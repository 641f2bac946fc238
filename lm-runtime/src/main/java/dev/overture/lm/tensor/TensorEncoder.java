package dev.overture.lm.tensor;

import dev.overture.lm.gguf.GgmlType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes floats into GGUF tensor bytes (F32, F16, BF16, Q8_0, Q4_0) exactly as llama.cpp's
 * reference quantizers do, for files written by tests, benchmarks and converters.
 */
public final class TensorEncoder {
  private TensorEncoder() {}

  /**
   * Returns a little-endian buffer of {@code type.bytesFor(values.length)} bytes, position 0.
   *
   * @throws IllegalArgumentException for other types, or a length that is not a whole number of
   *     blocks
   */
  public static ByteBuffer encode(GgmlType type, float[] values) {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(type.bytesFor(values.length))).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case F32:
        for (float v : values) {
          out.putFloat(v);
        }
        break;
      case F16:
        for (float v : values) {
          out.putShort(Float16.fromFloat(v));
        }
        break;
      case BF16:
        for (float v : values) {
          out.putShort(Float16.floatToBf16(v));
        }
        break;
      case Q8_0:
        encodeQ8(values, out);
        break;
      case Q4_0:
        encodeQ4(values, out);
        break;
      default:
        throw new IllegalArgumentException("encoding to " + type + " is not supported");
    }
    ((Buffer) out).flip(); // Buffer's method: the ByteBuffer override is missing on Android 26
    return out;
  }

  /** Rounds each value through {@code type} and back: what a reader of the encoded tensor sees. */
  public static float[] roundTrip(GgmlType type, float[] values, int rows, int cols) {
    WeightMatrix m = WeightMatrix.decode(type, encode(type, values), rows, cols);
    float[] out = new float[values.length];
    for (int r = 0; r < rows; r++) {
      m.copyRow(r, out, r * cols);
    }
    return out;
  }

  // quantize_row_q8_0_ref: d = amax / 127, q = round(x / d).
  private static void encodeQ8(float[] x, ByteBuffer out) {
    for (int b = 0; b < x.length / 32; b++) {
      float amax = 0;
      for (int i = 0; i < 32; i++) {
        amax = Math.max(amax, Math.abs(x[b * 32 + i]));
      }
      float d = amax / 127f;
      float id = d != 0 ? 1f / d : 0f;
      out.putShort(Float16.fromFloat(d));
      for (int i = 0; i < 32; i++) {
        out.put((byte) roundAway(x[b * 32 + i] * id));
      }
    }
  }

  // quantize_row_q4_0_ref: d = max / -8 where max is the signed value of largest magnitude.
  private static void encodeQ4(float[] x, ByteBuffer out) {
    for (int b = 0; b < x.length / 32; b++) {
      float amax = 0;
      float max = 0;
      for (int i = 0; i < 32; i++) {
        float v = x[b * 32 + i];
        if (Math.abs(v) > amax) {
          amax = Math.abs(v);
          max = v;
        }
      }
      float d = max / -8f;
      float id = d != 0 ? 1f / d : 0f;
      out.putShort(Float16.fromFloat(d));
      for (int j = 0; j < 16; j++) {
        int lo = Math.min(15, (int) (x[b * 32 + j] * id + 8.5f));
        int hi = Math.min(15, (int) (x[b * 32 + 16 + j] * id + 8.5f));
        out.put((byte) (lo | (hi << 4)));
      }
    }
  }

  private static int roundAway(float v) {
    return (int) (v < 0 ? v - 0.5f : v + 0.5f);
  }
}

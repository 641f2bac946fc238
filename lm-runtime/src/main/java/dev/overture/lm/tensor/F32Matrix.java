package dev.overture.lm.tensor;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.Kernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A matrix of floats. F32, F16 and BF16 files decode into it exactly; so do Q4_K and Q6_K,
 * whose sub-block scales do not fit the 8-bit block form (a memory cost of 4 bytes per weight,
 * traded for exact llama.cpp numerics).
 */
public final class F32Matrix extends WeightMatrix {
  private final float[] data;

  private F32Matrix(int rows, int cols, float[] data) {
    super(rows, cols);
    this.data = data;
  }

  /** Wraps floats in row-major order (row {@code r} at {@code [r * cols, (r + 1) * cols)}). */
  public static F32Matrix of(int rows, int cols, float[] data) {
    if (data.length != rows * cols) {
      throw new IllegalArgumentException("expected " + rows * cols + " values, got " + data.length);
    }
    return new F32Matrix(rows, cols, data);
  }

  static F32Matrix decodeFloats(GgmlType type, ByteBuffer source, int rows, int cols) {
    checkLength(type, source, rows, cols);
    ByteBuffer in = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int n = rows * cols;
    float[] out = new float[n];
    int base = in.position();
    switch (type) {
      case F32:
        in.asFloatBuffer().get(out);
        break;
      case F16:
        for (int i = 0; i < n; i++) {
          out[i] = Float16.toFloat(in.getShort(base + 2 * i));
        }
        break;
      case BF16:
        for (int i = 0; i < n; i++) {
          out[i] = Float16.bf16ToFloat(in.getShort(base + 2 * i));
        }
        break;
      case Q4_K:
        KQuants.decodeQ4K(in, base, out, n);
        break;
      case Q6_K:
        KQuants.decodeQ6K(in, base, out, n);
        break;
      default:
        throw new IllegalArgumentException("tensor type " + type + " is not supported for weights");
    }
    return new F32Matrix(rows, cols, out);
  }

  @Override
  public long heapBytes() {
    return 4L * data.length;
  }

  @Override
  public String storage() {
    return "f32";
  }

  @Override
  public void copyRow(int row, float[] dst, int dstOff) {
    System.arraycopy(data, row * cols(), dst, dstOff, cols());
  }

  @Override
  public boolean readsQuantizedInput() {
    return false;
  }

  @Override
  public void multiply(Kernels k, Activation x, float[] out, int outOff, int outStride, int rowStart, int rowEnd) {
    checkInput(x);
    float[] xv = x.values();
    int n = x.rows();
    int c = cols();
    for (int r = rowStart; r < rowEnd; r++) {
      int wOff = r * c;
      for (int t = 0; t < n; t++) {
        out[outOff + t * outStride + r] = k.dot(data, wOff, xv, t * c, c);
      }
    }
  }
}

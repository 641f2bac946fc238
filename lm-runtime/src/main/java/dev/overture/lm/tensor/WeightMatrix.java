package dev.overture.lm.tensor;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.Q8Layout;
import java.nio.ByteBuffer;

/**
 * A weight matrix of {@code rows} x {@code cols} held on the heap in a form the kernels read
 * fast: {@link F32Matrix} for float files (F32, F16, BF16 and the k-quants, decoded exactly) and
 * {@link Q8Matrix} for 8-bit blocks (Q8_0, and Q4_0 widened losslessly).
 *
 * <p>Row {@code r} of a GGUF tensor with shape {@code [cols, rows]} is the weight row that
 * produces output {@code r}, so {@code out[r] = dot(row r, x)}.
 */
public abstract class WeightMatrix {
  private final int rows;
  private final int cols;

  WeightMatrix(int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("matrix dimensions must be positive: " + rows + " x " + cols);
    }
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * Decodes {@code rows * cols} values of {@code type} from {@code data} (little-endian, starting
   * at its position), 8-bit blocks in the {@link Q8Layout#ROWS} layout.
   *
   * @throws IllegalArgumentException when the type is not supported or the buffer is too short
   */
  public static WeightMatrix decode(GgmlType type, ByteBuffer data, int rows, int cols) {
    return decode(type, data, rows, cols, Q8Layout.ROWS);
  }

  /**
   * Decodes like {@link #decode(GgmlType, ByteBuffer, int, int)}, with 8-bit blocks (Q8_0, Q4_0)
   * in {@code layout}, usually the {@link Kernels#q8Layout()} of the kernels that will multiply.
   */
  public static WeightMatrix decode(GgmlType type, ByteBuffer data, int rows, int cols, Q8Layout layout) {
    switch (type) {
      case Q8_0:
      case Q4_0:
        return layout == Q8Layout.COLUMNS
            ? Q8ColumnMatrix.decodeBlocks(type, data, rows, cols)
            : Q8Matrix.decodeBlocks(type, data, rows, cols);
      default:
        return F32Matrix.decodeFloats(type, data, rows, cols);
    }
  }

  public final int rows() {
    return rows;
  }

  public final int cols() {
    return cols;
  }

  /** Bytes this matrix occupies on the heap (for memory budgets and offloading). */
  public abstract long heapBytes();

  /** A short description of the storage, e.g. {@code "q8"} or {@code "f32"}. */
  public abstract String storage();

  /** Writes row {@code row} as floats into {@code dst} (an embedding lookup). */
  public abstract void copyRow(int row, float[] dst, int dstOff);

  /**
   * For each input vector {@code t < x.rows()} and each row {@code r} in {@code [rowStart,
   * rowEnd)}: {@code out[outOff + t * outStride + r] = dot(row r, x[t])}. The caller must have
   * called {@link Activation#ensureQuantized()} when this is a quantized matrix and several threads
   * share {@code x}.
   */
  public abstract void multiply(Kernels k, Activation x, float[] out, int outOff, int outStride, int rowStart, int rowEnd);

  /** Whether {@link #multiply} reads the quantized form of its input. */
  public abstract boolean readsQuantizedInput();

  /** Rejects an input whose vectors are not {@link #cols()} long. */
  final void checkInput(Activation x) {
    if (x.cols() != cols) {
      throw new IllegalArgumentException("input has " + x.cols() + " values, matrix has " + cols + " columns");
    }
  }

  static void checkLength(GgmlType type, ByteBuffer data, int rows, int cols) {
    long need = type.bytesFor((long) rows * cols);
    if (data.remaining() < need) {
      throw new IllegalArgumentException(
          type + " matrix " + rows + " x " + cols + " needs " + need + " bytes, buffer has " + data.remaining());
    }
    if ((long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("matrix " + rows + " x " + cols + " is too large for one Java array");
    }
  }
}

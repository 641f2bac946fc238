package dev.overture.lm.tensor;

import dev.overture.lm.kernel.Kernels;

/**
 * A batch of input vectors for matrix products: {@code rows} vectors of {@code cols} floats,
 * plus their 8-bit block-quantized form, computed on demand and reused by every quantized matrix
 * that reads the same input (Q, K and V; gate and up).
 *
 * <p>Not thread-safe for writes: the owner writes {@link #values()} and then calls {@link
 * #changed()}; matrix products may then read from several threads.
 */
public final class Activation {
  private final int capacityRows;
  private final int cols;
  private final float[] values;
  private final byte[] quants;
  private final float[] scales;
  private int rows;
  private boolean quantized;

  /** Allocates room for up to {@code capacityRows} vectors of {@code cols} values. */
  public Activation(int capacityRows, int cols) {
    if (capacityRows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("capacityRows and cols must be positive: " + capacityRows + " x " + cols);
    }
    this.capacityRows = capacityRows;
    this.cols = cols;
    this.values = new float[capacityRows * cols];
    int qCols = roundUp(cols, Kernels.Q8_BLOCK);
    this.quants = new byte[capacityRows * qCols];
    this.scales = new float[capacityRows * (qCols / Kernels.Q8_BLOCK)];
    this.rows = capacityRows;
  }

  public int cols() {
    return cols;
  }

  public int rows() {
    return rows;
  }

  public int capacityRows() {
    return capacityRows;
  }

  /** Sets how many vectors are in use; invalidates the quantized form. */
  public void setRows(int rows) {
    if (rows < 1 || rows > capacityRows) {
      throw new IllegalArgumentException("rows " + rows + " outside [1, " + capacityRows + "]");
    }
    this.rows = rows;
    this.quantized = false;
  }

  /** The backing array: vector {@code r} occupies {@code [r * cols, (r + 1) * cols)}. */
  public float[] values() {
    return values;
  }

  /** Must be called after writing {@link #values()}. */
  public void changed() {
    quantized = false;
  }

  /** Quantized values; vector {@code r} starts at {@code r * quantStride()}. */
  byte[] quants() {
    ensureQuantized();
    return quants;
  }

  /** Block scales; vector {@code r} starts at {@code r * quantStride() / Q8_BLOCK}. */
  float[] scales() {
    ensureQuantized();
    return scales;
  }

  int quantStride() {
    return quants.length / capacityRows;
  }

  /**
   * Quantizes all rows in use. Called from the owner thread before a parallel product starts, so
   * that workers only read.
   */
  public void ensureQuantized() {
    if (quantized) {
      return;
    }
    int stride = quantStride();
    for (int r = 0; r < rows; r++) {
      Q8Matrix.quantizeRow(values, r * cols, cols, quants, r * stride, scales, r * (stride / Kernels.Q8_BLOCK));
    }
    quantized = true;
  }

  static int roundUp(int n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }
}

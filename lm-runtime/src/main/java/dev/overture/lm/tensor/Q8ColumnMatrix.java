package dev.overture.lm.tensor;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.Kernels;
import dev.overture.lm.kernel.Q8Layout;
import java.nio.ByteBuffer;

/**
 * The same 8-bit blocks as {@link Q8Matrix}, stored column-major within tiles of {@value #TILE}
 * rows ({@link Q8Layout#COLUMNS}) for kernels without a fast horizontal int8 dot product.
 *
 * <p>A product walks the columns of one block, adding {@code x[c] * column c} into a float
 * accumulator per output row with {@link Kernels#axpyQ8} (integer-valued and exact, as the
 * integer sums of the row layout), then adds the accumulator times the two block scales to the
 * output. Each tile is one contiguous run of memory, read front to back, so that hardware
 * prefetching keeps up when the matrix does not fit in the caches; the tile's accumulator stays
 * in L1. Each thread owns one accumulator, so products are allocation-free after a thread's first.
 */
final class Q8ColumnMatrix extends WeightMatrix {
  private static final int BLOCK = Kernels.Q8_BLOCK;
  static final int TILE = 256;
  private static final ThreadLocal<float[]> ACCUMULATOR = new ThreadLocal<float[]>() {
    @Override
    protected float[] initialValue() {
      return new float[TILE];
    }
  };

  /**
   * Tile {@code T} (rows {@code [T * TILE, T * TILE + n)}, {@code n} = the tile's height) starts at
   * {@code T * TILE * cols}; within it, value {@code (r, c)} is at {@code c * n + (r - T * TILE)}.
   */
  private final byte[] quants;
  /** The same arrangement with one scale per block: tile {@code T} at {@code T * TILE * blocksPerRow}, {@code b * n + r'}. */
  private final float[] scales;
  private final int blocksPerRow;

  private Q8ColumnMatrix(int rows, int cols, byte[] quants, float[] scales) {
    super(rows, cols);
    this.quants = quants;
    this.scales = scales;
    this.blocksPerRow = cols / BLOCK;
  }

  static Q8ColumnMatrix decodeBlocks(GgmlType type, ByteBuffer source, int rows, int cols) {
    ByteBuffer in = Q8Matrix.checkBlocks(type, source, rows, cols);
    int blocksPerRow = cols / BLOCK;
    byte[] q = new byte[rows * cols];
    float[] s = new float[rows * blocksPerRow];
    byte[] block = new byte[BLOCK];
    int base = in.position();
    for (int r = 0; r < rows; r++) {
      int tile = r / TILE;
      int height = Math.min(TILE, rows - tile * TILE);
      int inTile = r - tile * TILE;
      for (int b = 0; b < blocksPerRow; b++) {
        s[tile * TILE * blocksPerRow + b * height + inTile] = Q8Matrix.readBlock(type, in, base, r * blocksPerRow + b, block, 0);
        int q0 = tile * TILE * cols + b * BLOCK * height + inTile;
        for (int i = 0; i < BLOCK; i++) {
          q[q0 + i * height] = block[i];
        }
      }
    }
    return new Q8ColumnMatrix(rows, cols, q, s);
  }

  @Override
  public long heapBytes() {
    return quants.length + 4L * scales.length;
  }

  @Override
  public String storage() {
    return "q8-columns";
  }

  @Override
  public void copyRow(int row, float[] dst, int dstOff) {
    int tile = row / TILE;
    int height = Math.min(TILE, rows() - tile * TILE);
    int q0 = tile * TILE * cols() + row - tile * TILE;
    int s0 = tile * TILE * blocksPerRow + row - tile * TILE;
    for (int c = 0; c < cols(); c++) {
      dst[dstOff + c] = scales[s0 + (c / BLOCK) * height] * quants[q0 + c * height];
    }
  }

  @Override
  public boolean readsQuantizedInput() {
    return true;
  }

  @Override
  public void multiply(Kernels k, Activation x, float[] out, int outOff, int outStride, int rowStart, int rowEnd) {
    checkInput(x);
    byte[] xq = x.quants();
    float[] xs = x.scales();
    int stride = x.quantStride();
    int cols = cols();
    float[] acc = ACCUMULATOR.get();
    for (int r0 = rowStart; r0 < rowEnd; ) {
      int tile = r0 / TILE;
      int height = Math.min(TILE, rows() - tile * TILE);
      int from = r0 - tile * TILE;
      int len = Math.min(height, rowEnd - tile * TILE) - from;
      int q0 = tile * TILE * cols + from;
      int s0 = tile * TILE * blocksPerRow + from;
      for (int t = 0; t < x.rows(); t++) {
        int o = outOff + t * outStride + r0;
        int xOff = t * stride;
        for (int r = 0; r < len; r++) {
          out[o + r] = 0;
        }
        for (int b = 0; b < blocksPerRow; b++) {
          for (int r = 0; r < len; r++) {
            acc[r] = 0;
          }
          int c0 = b * BLOCK;
          for (int c = c0; c < c0 + BLOCK; c++) {
            int v = xq[xOff + c];
            if (v != 0) {
              k.axpyQ8(v, quants, q0 + c * height, acc, 0, len);
            }
          }
          float xScale = xs[xOff / BLOCK + b];
          int sOff = s0 + b * height;
          for (int r = 0; r < len; r++) {
            out[o + r] += xScale * scales[sOff + r] * acc[r];
          }
        }
      }
      r0 += len;
    }
  }
}

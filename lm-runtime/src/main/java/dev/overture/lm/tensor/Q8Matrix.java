package dev.overture.lm.tensor;

import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.kernel.Kernels;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A matrix of 8-bit values in blocks of 32 with one float scale per block: the heap form of
 * Q8_0, and of Q4_0 whose 4-bit values widen to bytes without loss. Products quantize the input
 * the same way and sum integer products exactly per block, as llama.cpp's Q8_0 path does.
 */
public final class Q8Matrix extends WeightMatrix {
  private static final int BLOCK = Kernels.Q8_BLOCK;

  private final byte[] quants;
  private final float[] scales;
  private final int blocksPerRow;

  private Q8Matrix(int rows, int cols, byte[] quants, float[] scales) {
    super(rows, cols);
    this.quants = quants;
    this.scales = scales;
    this.blocksPerRow = cols / BLOCK;
  }

  static Q8Matrix decodeBlocks(GgmlType type, ByteBuffer source, int rows, int cols) {
    ByteBuffer in = checkBlocks(type, source, rows, cols);
    int blocks = rows * (cols / BLOCK);
    byte[] q = new byte[rows * cols];
    float[] s = new float[blocks];
    int base = in.position();
    for (int b = 0; b < blocks; b++) {
      s[b] = readBlock(type, in, base, b, q, b * BLOCK);
    }
    return new Q8Matrix(rows, cols, q, s);
  }

  /** Validates an 8-bit block tensor's size and returns a little-endian view of it. */
  static ByteBuffer checkBlocks(GgmlType type, ByteBuffer source, int rows, int cols) {
    if (type != GgmlType.Q8_0 && type != GgmlType.Q4_0) {
      throw new IllegalArgumentException("not an 8-bit block type: " + type);
    }
    if (cols % BLOCK != 0) {
      throw new IllegalArgumentException(type + " rows must be a multiple of " + BLOCK + " long, got " + cols);
    }
    checkLength(type, source, rows, cols);
    return source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Decodes block {@code b} (counted from {@code base}) of a Q8_0 or Q4_0 tensor into {@code
   * BLOCK} bytes at {@code q[qOff]} and returns its scale; Q4_0's 4-bit values widen to bytes
   * without loss.
   */
  static float readBlock(GgmlType type, ByteBuffer in, int base, int b, byte[] q, int qOff) {
    if (type == GgmlType.Q8_0) {
      int p = base + b * 34;
      ((Buffer) in).position(p + 2); // Buffer's method: the ByteBuffer override is missing on Android 26
      in.get(q, qOff, BLOCK);
      return Float16.toFloat(in.getShort(p));
    }
    int p = base + b * 18;
    for (int j = 0; j < 16; j++) {
      int v = in.get(p + 2 + j) & 0xff;
      q[qOff + j] = (byte) ((v & 0x0f) - 8);
      q[qOff + j + 16] = (byte) ((v >>> 4) - 8);
    }
    return Float16.toFloat(in.getShort(p));
  }

  /**
   * Quantizes {@code n} floats (a multiple of 32 is not required: a short last block is padded
   * with zeros) into blocks with scale {@code max|x| / 127}, rounding to nearest.
   */
  static void quantizeRow(float[] x, int xOff, int n, byte[] q, int qOff, float[] scale, int scaleOff) {
    int blocks = (n + BLOCK - 1) / BLOCK;
    for (int b = 0; b < blocks; b++) {
      int start = b * BLOCK;
      int len = Math.min(BLOCK, n - start);
      float amax = 0;
      for (int i = 0; i < len; i++) {
        amax = Math.max(amax, Math.abs(x[xOff + start + i]));
      }
      float d = amax / 127f;
      float id = d != 0 ? 1f / d : 0f;
      scale[scaleOff + b] = d;
      int o = qOff + start;
      for (int i = 0; i < len; i++) {
        q[o + i] = (byte) Math.round(x[xOff + start + i] * id);
      }
      for (int i = len; i < BLOCK; i++) {
        q[o + i] = 0;
      }
    }
  }

  @Override
  public long heapBytes() {
    return quants.length + 4L * scales.length;
  }

  @Override
  public String storage() {
    return "q8";
  }

  @Override
  public void copyRow(int row, float[] dst, int dstOff) {
    int o = row * cols();
    int sb = row * blocksPerRow;
    for (int i = 0; i < cols(); i++) {
      dst[dstOff + i] = scales[sb + i / BLOCK] * quants[o + i];
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
    int n = x.rows();
    for (int r = rowStart; r < rowEnd; r++) {
      int wOff = r * cols();
      int sOff = r * blocksPerRow;
      for (int t = 0; t < n; t++) {
        out[outOff + t * outStride + r] = k.dotQ8(quants, wOff, scales, sOff, xq, t * stride, xs, t * stride / BLOCK, blocksPerRow);
      }
    }
  }
}

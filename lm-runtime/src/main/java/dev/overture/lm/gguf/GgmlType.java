package dev.overture.lm.gguf;

/**
 * ggml tensor element types with llama.cpp's ids ({@code enum ggml_type} in {@code ggml.h}) and
 * block layout ({@code type_traits} in {@code ggml.c}, {@code GGML_QUANT_SIZES} in gguf-py).
 *
 * <p>A quantized type stores {@link #blockSize()} consecutive elements of a row in one block of
 * {@link #blockBytes()} bytes, so a row's length must be a multiple of the block size. Ids 4, 5 and
 * 31-33, 36-38 were removed from ggml and are not accepted.
 */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34),
  Q8_1(9, 32, 36),
  Q2_K(10, 256, 84),
  Q3_K(11, 256, 110),
  Q4_K(12, 256, 144),
  Q5_K(13, 256, 176),
  Q6_K(14, 256, 210),
  Q8_K(15, 256, 292),
  IQ2_XXS(16, 256, 66),
  IQ2_XS(17, 256, 74),
  IQ3_XXS(18, 256, 98),
  IQ1_S(19, 256, 50),
  IQ4_NL(20, 32, 18),
  IQ3_S(21, 256, 110),
  IQ2_S(22, 256, 82),
  IQ4_XS(23, 256, 136),
  I8(24, 1, 1),
  I16(25, 1, 2),
  I32(26, 1, 4),
  I64(27, 1, 8),
  F64(28, 1, 8),
  IQ1_M(29, 256, 56),
  BF16(30, 1, 2),
  TQ1_0(34, 256, 54),
  TQ2_0(35, 256, 66);

  private static final GgmlType[] BY_ID = new GgmlType[64];

  static {
    for (GgmlType type : values()) {
      BY_ID[type.id] = type;
    }
  }

  private final int id;
  private final int blockSize;
  private final int blockBytes;

  GgmlType(int id, int blockSize, int blockBytes) {
    this.id = id;
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
  }

  /** The id written in GGUF tensor infos. */
  public int id() {
    return id;
  }

  /** Elements per block: 1 for plain types, 32 or 256 for quantized ones. */
  public int blockSize() {
    return blockSize;
  }

  /** Bytes per block. */
  public int blockBytes() {
    return blockBytes;
  }

  /** Whether this type stores elements in quantized blocks (block size above 1). */
  public boolean isQuantized() {
    return blockSize > 1;
  }

  /**
   * Bytes that {@code elements} consecutive elements occupy.
   *
   * @throws IllegalArgumentException if {@code elements} is negative or not a multiple of the
   *     block size
   * @throws ArithmeticException if the byte count overflows a long
   */
  public long bytesFor(long elements) {
    if (elements < 0) {
      throw new IllegalArgumentException(name() + ": negative element count " + elements);
    }
    if (elements % blockSize != 0) {
      throw new IllegalArgumentException(
          name() + ": " + elements + " elements is not a multiple of the block size " + blockSize);
    }
    return Math.multiplyExact(elements / blockSize, (long) blockBytes);
  }

  /**
   * The type with llama.cpp's id {@code id}.
   *
   * @throws UnknownGgmlTypeException for ids that ggml does not define (or no longer supports)
   */
  public static GgmlType fromId(int id) {
    GgmlType type = id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    if (type == null) {
      throw new UnknownGgmlTypeException(id);
    }
    return type;
  }
}

package dev.overture.lm.gguf;

/**
 * GGUF metadata value types with their ids ({@code enum gguf_type} in llama.cpp's {@code gguf.h}).
 *
 * <p>{@link GgufMetadata#raw} returns each type as the Java value named here. Unsigned types are
 * widened so that their values never read negative, except {@code UINT64}, which has no wider
 * primitive: its {@code Long} carries the raw 64 bits (values above {@link Long#MAX_VALUE} read
 * negative, and {@link GgufMetadata#getLong} rejects them).
 */
public enum GgufValueType {
  /** {@code Integer} 0..255. */
  UINT8(0, 1, "uint8"),
  /** {@code Byte}. */
  INT8(1, 1, "int8"),
  /** {@code Integer} 0..65535. */
  UINT16(2, 2, "uint16"),
  /** {@code Short}. */
  INT16(3, 2, "int16"),
  /** {@code Long} 0..4294967295. */
  UINT32(4, 4, "uint32"),
  /** {@code Integer}. */
  INT32(5, 4, "int32"),
  /** {@code Float}. */
  FLOAT32(6, 4, "float32"),
  /** {@code Boolean}; any non-zero byte reads true, as in llama.cpp. */
  BOOL(7, 1, "bool"),
  /** {@code String}: uint64 byte length, then UTF-8 bytes (malformed bytes read as U+FFFD). */
  STRING(8, 8, "string"),
  /** {@link GgufArray}: uint32 element type, uint64 count, then the elements. */
  ARRAY(9, 12, "array"),
  /** {@code Long} holding the raw bits. */
  UINT64(10, 8, "uint64"),
  /** {@code Long}. */
  INT64(11, 8, "int64"),
  /** {@code Double}. */
  FLOAT64(12, 8, "float64");

  private static final GgufValueType[] BY_ID = values();

  private final int id;
  private final int minBytes;
  private final String wireName;

  GgufValueType(int id, int minBytes, String wireName) {
    this.id = id;
    this.minBytes = minBytes;
    this.wireName = wireName;
  }

  /** The id written in the file. */
  public int id() {
    return id;
  }

  /** The name gguf-py and llama.cpp's messages use, e.g. {@code uint32}. */
  public String wireName() {
    return wireName;
  }

  /** Whether values of this type are integers (signed or unsigned, any width). */
  public boolean isInteger() {
    switch (this) {
      case UINT8: case INT8: case UINT16: case INT16: case UINT32: case INT32: case UINT64: case INT64:
        return true;
      default:
        return false;
    }
  }

  /** Smallest encoded size of one value: bounds element counts by the bytes left in a file. */
  int minBytes() {
    return minBytes;
  }

  /** The type with id {@code id}, or null if GGUF defines none. */
  static GgufValueType fromIdOrNull(long id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
  }
}

package dev.overture.lm.gguf;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a GGUF header (magic, version, metadata, tensor infos) from a buffer that starts at byte 0
 * of the file. Every count and length is checked against the bytes left before anything is
 * allocated, so corrupt input fails with a {@link GgufFormatException} naming the byte offset.
 */
final class GgufParser {
  static final int DEFAULT_ALIGNMENT = 32;
  /** Deepest array nesting accepted; llama.cpp accepts none, gguf-py a few levels. */
  static final int MAX_ARRAY_NESTING = 8;
  /** Largest Java array we allocate for one metadata value. */
  private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 16;
  /** Smallest possible tensor info: empty name (8), n_dims (4), type (4), offset (8). */
  private static final int MIN_TENSOR_INFO_BYTES = 24;
  /** Smallest possible key-value pair: empty key (8), type (4), one-byte value. */
  private static final int MIN_KV_BYTES = 13;

  /** What the header says. */
  record Header(int version, long alignment, GgufMetadata metadata, List<GgufTensorInfo> tensors, long dataOffset) {}

  private final String source;
  private final ByteBuffer buf;
  private final long fileSize;
  private String context = "the header";

  private GgufParser(String source, ByteBuffer header, long fileSize) {
    this.source = source;
    this.buf = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ((Buffer) this.buf).position(0);
    this.fileSize = fileSize;
  }

  /**
   * Parses the header in {@code header} (the file's first bytes, up to its end or to 2 GiB).
   *
   * @param source file name for messages
   * @param fileSize full size of the file; tensor data must lie inside it
   */
  static Header parse(String source, ByteBuffer header, long fileSize) throws GgufFormatException {
    return new GgufParser(source, header, fileSize).parse();
  }

  private Header parse() throws GgufFormatException {
    readMagic();
    int version = readVersion();

    context = "the tensor count";
    long tensorCount = readI64();
    checkCount(tensorCount, MIN_TENSOR_INFO_BYTES, "tensors");
    context = "the metadata key count";
    long kvCount = readI64();
    checkCount(kvCount, MIN_KV_BYTES, "metadata keys");

    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, GgufValueType> types = new LinkedHashMap<>();
    for (long i = 0; i < kvCount; i++) {
      long keyAt = position();
      context = "metadata key #" + i;
      String key = readString();
      if (values.containsKey(key)) {
        throw error(keyAt, "duplicate metadata key '" + key + "'");
      }
      context = "metadata key '" + key + "'";
      GgufValueType type = readValueType();
      values.put(key, readValue(type, 0));
      types.put(key, type);
    }
    GgufMetadata metadata = new GgufMetadata(source, values, types);
    long alignment = alignment(metadata);

    // The count is only bounded by the file's size, which may be tens of gigabytes: grow as read.
    List<GgufTensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 4096));
    Set<String> names = new HashSet<>();
    for (long i = 0; i < tensorCount; i++) {
      long infoAt = position();
      context = "tensor info #" + i;
      String name = readString();
      if (!names.add(name)) {
        throw error(infoAt, "duplicate tensor name '" + name + "'");
      }
      tensors.add(readTensorInfo(name));
    }

    long dataOffset = alignUp(position(), alignment);
    for (GgufTensorInfo tensor : tensors) {
      checkPlacement(tensor, dataOffset, alignment);
    }
    return new Header(version, alignment, metadata, Collections.unmodifiableList(tensors), dataOffset);
  }

  private void readMagic() throws GgufFormatException {
    if (fileSize < 4) {
      throw new GgufFormatException(source + ": not a GGUF file: " + fileSize + " bytes, too short for the magic 'GGUF'");
    }
    byte[] magic = new byte[4];
    buf.get(magic);
    if (magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
      StringBuilder hex = new StringBuilder();
      for (byte b : magic) {
        hex.append(String.format(" %02x", b & 0xFF));
      }
      throw new GgufFormatException(source + ": not a GGUF file: bytes 0-3 are" + hex + ", expected the magic 'GGUF' (47 47 55 46)");
    }
  }

  private int readVersion() throws GgufFormatException {
    context = "the version";
    int version = readI32();
    if (version == 2 || version == 3) {
      return version;
    }
    int swapped = Integer.reverseBytes(version);
    if (swapped >= 1 && swapped <= 3) {
      throw error(4, "big-endian GGUF (version " + swapped + ") is not supported; convert the model for a little-endian host");
    }
    if (version == 1) {
      throw error(4, "GGUF version 1 is not supported (obsolete since llama.cpp dropped it in 2023); re-convert the model to GGUF v3");
    }
    throw error(4, "unsupported GGUF version " + Integer.toUnsignedString(version) + "; this reader supports versions 2 and 3");
  }

  private void checkCount(long count, int minBytesEach, String what) throws GgufFormatException {
    long remaining = fileSize - position();
    if (count < 0 || count > remaining / minBytesEach) {
      throw error(position() - 8, "the file declares " + Long.toUnsignedString(count) + " " + what
          + " but only " + remaining + " bytes follow (each needs at least " + minBytesEach + ")");
    }
  }

  private GgufValueType readValueType() throws GgufFormatException {
    long at = position();
    long id = readU32();
    GgufValueType type = GgufValueType.fromIdOrNull(id);
    if (type == null) {
      throw error(at, "unknown metadata value type id " + id + " (expected 0-12)");
    }
    return type;
  }

  private Object readValue(GgufValueType type, int depth) throws GgufFormatException {
    switch (type) {
      case UINT8: return readU8();
      case INT8: return need(1).get();
      case UINT16: return need(2).getShort() & 0xFFFF;
      case INT16: return need(2).getShort();
      case UINT32: return readU32();
      case INT32: return readI32();
      case FLOAT32: return need(4).getFloat();
      case BOOL: return need(1).get() != 0;
      case STRING: return readString();
      case UINT64: case INT64: return readI64();
      case FLOAT64: return need(8).getDouble();
      case ARRAY: return readArray(depth + 1);
      default: throw new AssertionError(type);
    }
  }

  private GgufArray readArray(int depth) throws GgufFormatException {
    long at = position();
    if (depth > MAX_ARRAY_NESTING) {
      throw error(at, "arrays nested deeper than " + MAX_ARRAY_NESTING + " levels");
    }
    GgufValueType elementType = readValueType();
    long count = readI64();
    long remaining = fileSize - position();
    if (count < 0 || count > remaining / elementType.minBytes()) {
      throw error(at, "array of " + Long.toUnsignedString(count) + " " + elementType.wireName() + " elements needs at least "
          + elementType.minBytes() + " bytes each but only " + remaining + " bytes remain");
    }
    if (count > MAX_ELEMENTS) {
      throw error(at, "array of " + count + " elements is larger than a Java array can hold");
    }
    int n = (int) count;
    // The bytes must be in the header window before the array is allocated: a corrupt count in a
    // large file would otherwise allocate gigabytes before the read fails.
    need(count * elementType.minBytes());
    Object storage = GgufArray.storageFor(elementType, n);
    switch (elementType) {
      case UINT8: case INT8: need(n).get((byte[]) storage); break;
      case BOOL: {
        boolean[] b = (boolean[]) storage;
        ByteBuffer in = need(n);
        for (int i = 0; i < n; i++) {
          b[i] = in.get() != 0;
        }
        break;
      }
      case UINT16: case INT16: need(2L * n).asShortBuffer().get((short[]) storage); skip(2L * n); break;
      case UINT32: case INT32: need(4L * n).asIntBuffer().get((int[]) storage); skip(4L * n); break;
      case FLOAT32: need(4L * n).asFloatBuffer().get((float[]) storage); skip(4L * n); break;
      case UINT64: case INT64: need(8L * n).asLongBuffer().get((long[]) storage); skip(8L * n); break;
      case FLOAT64: need(8L * n).asDoubleBuffer().get((double[]) storage); skip(8L * n); break;
      case STRING: {
        String[] s = (String[]) storage;
        for (int i = 0; i < n; i++) {
          s[i] = readString();
        }
        break;
      }
      case ARRAY: {
        GgufArray[] a = (GgufArray[]) storage;
        for (int i = 0; i < n; i++) {
          a[i] = readArray(depth + 1);
        }
        break;
      }
      default: throw new AssertionError(elementType);
    }
    return GgufArray.wrap(elementType, storage);
  }

  private GgufTensorInfo readTensorInfo(String name) throws GgufFormatException {
    context = "tensor '" + name + "'";
    long dimsAt = position();
    long dimensions = readU32();
    if (dimensions > GgufTensorInfo.MAX_DIMENSIONS) {
      throw error(dimsAt, "tensor '" + name + "' has " + dimensions + " dimensions, at most " + GgufTensorInfo.MAX_DIMENSIONS + " allowed");
    }
    // ggml treats a tensor without dimensions as a scalar of shape [1].
    long[] shape = new long[Math.max(1, (int) dimensions)];
    shape[0] = 1;
    long elements = 1;
    for (int d = 0; d < dimensions; d++) {
      long dimAt = position();
      shape[d] = readI64();
      if (shape[d] < 0) {
        throw error(dimAt, "tensor '" + name + "' dimension " + d + " is " + Long.toUnsignedString(shape[d]) + ", which is negative as int64");
      }
      try {
        elements = Math.multiplyExact(elements, shape[d]);
      } catch (ArithmeticException e) {
        throw error(dimAt, "tensor '" + name + "' has more elements than a long can count");
      }
    }
    long typeAt = position();
    long typeId = readU32();
    GgmlType type;
    try {
      type = GgmlType.fromId((int) Math.min(typeId, Integer.MAX_VALUE));
    } catch (UnknownGgmlTypeException e) {
      throw error(typeAt, "tensor '" + name + "' has unknown ggml type id " + typeId);
    }
    if (shape[0] % type.blockSize() != 0) {
      throw error(dimsAt, "tensor '" + name + "' of type " + type + " has rows of " + shape[0]
          + " elements, not a multiple of the block size " + type.blockSize());
    }
    long bytes;
    try {
      bytes = type.bytesFor(elements);
    } catch (ArithmeticException e) {
      throw error(dimsAt, "tensor '" + name + "' is larger than a long can count");
    }
    if (bytes > Integer.MAX_VALUE) {
      throw error(dimsAt, "tensor '" + name + "' holds " + bytes + " bytes; tensors over 2 GiB cannot be mapped into one buffer");
    }
    long offsetAt = position();
    long offset = readI64();
    if (offset < 0) {
      throw error(offsetAt, "tensor '" + name + "' has data offset " + Long.toUnsignedString(offset) + ", beyond any file");
    }
    return new GgufTensorInfo(name, shape, type, offset);
  }

  private void checkPlacement(GgufTensorInfo tensor, long dataOffset, long alignment) throws GgufFormatException {
    if (tensor.offset() % alignment != 0) {
      throw new GgufFormatException(source + ": tensor '" + tensor.name() + "' data offset " + tensor.offset()
          + " is not a multiple of the alignment " + alignment);
    }
    long available = fileSize - dataOffset;
    if (tensor.offset() > available || tensor.byteSize() > available - tensor.offset()) {
      long start = dataOffset + tensor.offset();
      throw new GgufFormatException(source + ": tensor '" + tensor.name() + "' needs bytes " + start + ".."
          + (start + tensor.byteSize()) + " but the file ends at byte " + fileSize + " (truncated file?)");
    }
  }

  private long alignment(GgufMetadata metadata) throws GgufFormatException {
    if (!metadata.has(GgufMetadata.ALIGNMENT)) {
      return DEFAULT_ALIGNMENT;
    }
    GgufValueType type = metadata.type(GgufMetadata.ALIGNMENT).get();
    Object raw = metadata.raw(GgufMetadata.ALIGNMENT);
    long alignment = type.isInteger() ? ((Number) raw).longValue() : -1;
    if (alignment <= 0 || alignment > (1 << 30) || Long.bitCount(alignment) != 1) {
      throw new GgufFormatException(source + ": metadata key '" + GgufMetadata.ALIGNMENT + "' holds " + type.wireName()
          + " " + raw + ", expected a power of two between 1 and 2^30");
    }
    return alignment;
  }

  private String readString() throws GgufFormatException {
    long at = position();
    long length = readI64();
    long remaining = fileSize - position();
    if (length < 0 || length > remaining) {
      throw error(at, "string of " + Long.toUnsignedString(length) + " bytes but only " + remaining + " bytes remain");
    }
    if (length == 0) {
      return "";
    }
    if (length > MAX_ELEMENTS) {
      throw error(at, "string of " + length + " bytes is larger than a Java array can hold");
    }
    ByteBuffer in = need(length); // in the window before the allocation, as for arrays
    byte[] bytes = new byte[(int) length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private int readU8() throws GgufFormatException {
    return need(1).get() & 0xFF;
  }

  private int readI32() throws GgufFormatException {
    return need(4).getInt();
  }

  private long readU32() throws GgufFormatException {
    return need(4).getInt() & 0xFFFF_FFFFL;
  }

  private long readI64() throws GgufFormatException {
    return need(8).getLong();
  }

  /**
   * Checks that {@code n} bytes follow the current position and returns the buffer positioned
   * there. Callers that read through a view buffer must {@link #skip} afterwards.
   */
  private ByteBuffer need(long n) throws GgufFormatException {
    if (n > buf.remaining()) {
      if (buf.limit() < fileSize && position() + n <= fileSize) {
        if (buf.limit() < GgufFile.MAX_WINDOW) {
          throw new HeaderBeyondWindow(source);
        }
        throw error(position(), "metadata larger than 2 GiB is not supported");
      }
      throw error(position(), "truncated file: " + n + " bytes needed but only " + (fileSize - position()) + " remain");
    }
    return buf;
  }

  private void skip(long n) {
    ((Buffer) buf).position(buf.position() + (int) n);
  }

  private long position() {
    return buf.position();
  }

  private GgufFormatException error(long offset, String message) {
    return new GgufFormatException(source + ": at byte " + offset + " (" + context + "): " + message);
  }

  /** The header continues past the bytes given to {@link #parse}: parse again with more. */
  static final class HeaderBeyondWindow extends GgufFormatException {
    HeaderBeyondWindow(String source) {
      super(source + ": header extends past the mapped window");
    }
  }

  static long alignUp(long offset, long alignment) {
    return (offset + alignment - 1) / alignment * alignment;
  }
}

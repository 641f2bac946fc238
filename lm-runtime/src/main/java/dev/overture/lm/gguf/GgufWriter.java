package dev.overture.lm.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a GGUF v3 file in llama.cpp's layout: magic {@code GGUF}, uint32 version 3, uint64 tensor
 * count, uint64 key count, the key-value pairs (string key, uint32 value type, value), the tensor
 * infos (string name, uint32 n_dims, uint64 per dimension, uint32 ggml type, uint64 offset), zero
 * padding to the alignment, then each tensor's data padded to the alignment. Strings are a uint64
 * byte length and UTF-8 bytes; everything is little-endian.
 *
 * <p>Value types follow what llama.cpp's loader demands for the standard keys (it rejects any other
 * type): {@link #put(String, int)} writes uint32, as {@code *.context_length}, {@code
 * *.block_count}, {@code general.file_type} and {@code tokenizer.ggml.bos_token_id} need; {@link
 * #put(String, float)} writes float32 ({@code *.rope.freq_base}, {@code
 * *.attention.layer_norm_rms_epsilon}); {@link #putInts} writes an int32 array ({@code
 * tokenizer.ggml.token_type}); {@link #putFloats} a float32 array ({@code tokenizer.ggml.scores});
 * {@link #putStrings} a string array ({@code tokenizer.ggml.tokens}, {@code tokenizer.ggml.merges}).
 *
 * <p>Keys keep the order of their first {@code put}; putting a key again replaces its value.
 * Tensor data buffers are not copied: leave them unchanged until {@link #write} returns. Not
 * thread-safe.
 */
public final class GgufWriter {
  /** llama.cpp's GGML_MAX_NAME: tensor names must be shorter (in UTF-8 bytes). */
  public static final int MAX_TENSOR_NAME_BYTES = 63;

  private record Value(GgufValueType type, Object value) {}

  private record Tensor(String name, long[] shape, GgmlType type, ByteBuffer data) {}

  private int alignment = GgufParser.DEFAULT_ALIGNMENT;
  private final Map<String, Value> values = new LinkedHashMap<>();
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  public GgufWriter() {}

  /**
   * Alignment of the data section and of each tensor (default 32). Written as {@code
   * general.alignment} (uint32) only when it differs from the default.
   */
  public GgufWriter alignment(int bytes) {
    if (bytes <= 0 || Integer.bitCount(bytes) != 1) {
      throw new IllegalArgumentException("alignment must be a positive power of two: " + bytes);
    }
    alignment = bytes;
    return this;
  }

  public GgufWriter put(String key, String value) {
    return entry(key, GgufValueType.STRING, Objects.requireNonNull(value, "value"));
  }

  /** A uint32, the type llama.cpp expects for every standard integer key. */
  public GgufWriter put(String key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(key + ": uint32 cannot hold " + value + " (use putInt32 for signed values)");
    }
    return entry(key, GgufValueType.UINT32, (long) value);
  }

  /** A uint32 in 0..4294967295. */
  public GgufWriter putUInt32(String key, long value) {
    return entry(key, GgufValueType.UINT32, checkRange(key, value, 0, 0xFFFF_FFFFL, "uint32"));
  }

  public GgufWriter putInt32(String key, int value) {
    return entry(key, GgufValueType.INT32, value);
  }

  /** A uint64 in 0..Long.MAX_VALUE. */
  public GgufWriter putLong(String key, long value) {
    return entry(key, GgufValueType.UINT64, checkRange(key, value, 0, Long.MAX_VALUE, "uint64"));
  }

  public GgufWriter putInt64(String key, long value) {
    return entry(key, GgufValueType.INT64, value);
  }

  /** A uint8 in 0..255. */
  public GgufWriter putUInt8(String key, int value) {
    return entry(key, GgufValueType.UINT8, (int) checkRange(key, value, 0, 255, "uint8"));
  }

  public GgufWriter putInt8(String key, byte value) {
    return entry(key, GgufValueType.INT8, value);
  }

  /** A uint16 in 0..65535. */
  public GgufWriter putUInt16(String key, int value) {
    return entry(key, GgufValueType.UINT16, (int) checkRange(key, value, 0, 65535, "uint16"));
  }

  public GgufWriter putInt16(String key, short value) {
    return entry(key, GgufValueType.INT16, value);
  }

  /** A float32. */
  public GgufWriter put(String key, float value) {
    return entry(key, GgufValueType.FLOAT32, value);
  }

  public GgufWriter putDouble(String key, double value) {
    return entry(key, GgufValueType.FLOAT64, value);
  }

  public GgufWriter put(String key, boolean value) {
    return entry(key, GgufValueType.BOOL, value);
  }

  /** A string array. */
  public GgufWriter putStrings(String key, List<String> values) {
    return put(key, GgufArray.ofStrings(values));
  }

  /** A float32 array. */
  public GgufWriter putFloats(String key, float[] values) {
    return put(key, GgufArray.ofFloats(values));
  }

  /** An int32 array. */
  public GgufWriter putInts(String key, int[] values) {
    return put(key, GgufArray.ofInts(values));
  }

  /** A uint32 array. */
  public GgufWriter putUInt32s(String key, long[] values) {
    return put(key, GgufArray.ofUInt32s(values));
  }

  /** Any array, including nested arrays and arrays read from another file. */
  public GgufWriter put(String key, GgufArray array) {
    return entry(key, GgufValueType.ARRAY, Objects.requireNonNull(array, "array"));
  }

  /**
   * Copies every key of {@code metadata} with its original type, e.g. to rewrite a model with
   * converted tensors. {@code general.alignment} is applied through {@link #alignment(int)}.
   */
  public GgufWriter putAll(GgufMetadata metadata) {
    for (String key : metadata.keys()) {
      if (key.equals(GgufMetadata.ALIGNMENT)) {
        alignment(metadata.getInt(key));
      } else {
        entry(key, metadata.type(key).get(), metadata.raw(key));
      }
    }
    return this;
  }

  /**
   * Adds a tensor whose data is already encoded in {@code type}'s layout.
   *
   * @param shape ggml order, {@code shape[0]} the row length (see {@link GgufTensorInfo#shape})
   * @param data exactly {@code type.bytesFor(product of shape)} bytes between position and limit;
   *     not copied
   */
  public GgufWriter addTensor(String name, GgmlType type, long[] shape, ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_TENSOR_NAME_BYTES) {
      throw new IllegalArgumentException("tensor name must have 1 to " + MAX_TENSOR_NAME_BYTES + " UTF-8 bytes: '" + name + "'");
    }
    if (tensors.containsKey(name)) {
      throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
    }
    GgufTensorInfo info = new GgufTensorInfo(name, shape, type, 0);
    if (data.remaining() != info.byteSize()) {
      throw new IllegalArgumentException("tensor '" + name + "' " + type + " " + Arrays.toString(shape) + " needs "
          + info.byteSize() + " bytes, got " + data.remaining());
    }
    tensors.put(name, new Tensor(name, info.shape(), type, data.duplicate()));
    return this;
  }

  /** Adds an F32 tensor; the values are copied. */
  public GgufWriter addTensor(String name, long[] shape, float[] data) {
    ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    return addTensor(name, GgmlType.F32, shape, bytes);
  }

  /** Writes the file, replacing {@code path}; the file appears complete or not at all. */
  public void write(Path path) throws IOException {
    Path absolute = path.toAbsolutePath();
    Path temp = absolute.resolveSibling(absolute.getFileName() + ".partial");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      writeTo(channel);
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    try {
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The file's bytes (tests and small in-memory models). */
  byte[] toByteArray() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTo(Channels.newChannel(out));
    return out.toByteArray();
  }

  private void writeTo(WritableByteChannel channel) throws IOException {
    Output out = new Output(channel);
    Map<String, Value> all = new LinkedHashMap<>(values);
    if (alignment != GgufParser.DEFAULT_ALIGNMENT) {
      all.put(GgufMetadata.ALIGNMENT, new Value(GgufValueType.UINT32, (long) alignment));
    }
    out.bytes(new byte[] {'G', 'G', 'U', 'F'});
    out.u32(3);
    out.u64(tensors.size());
    out.u64(all.size());
    for (Map.Entry<String, Value> e : all.entrySet()) {
      out.string(e.getKey());
      Value v = e.getValue();
      out.u32(v.type().id());
      writeValue(out, v.type(), v.value());
    }
    long offset = 0;
    List<Tensor> ordered = new ArrayList<>(tensors.values());
    for (Tensor t : ordered) {
      out.string(t.name());
      out.u32(t.shape().length);
      for (long d : t.shape()) {
        out.u64(d);
      }
      out.u32(t.type().id());
      out.u64(offset);
      offset += GgufParser.alignUp(t.data().remaining(), alignment);
    }
    out.pad(alignment);
    for (Tensor t : ordered) {
      out.buffer(t.data().duplicate());
      out.pad(alignment);
    }
    out.flush();
  }

  private static void writeValue(Output out, GgufValueType type, Object value) throws IOException {
    switch (type) {
      case UINT8: case INT8: out.u8(((Number) value).intValue()); break;
      case UINT16: case INT16: out.u16(((Number) value).intValue()); break;
      case UINT32: case INT32: out.u32(((Number) value).intValue()); break;
      case UINT64: case INT64: out.u64(((Number) value).longValue()); break;
      case FLOAT32: out.u32(Float.floatToRawIntBits((Float) value)); break;
      case FLOAT64: out.u64(Double.doubleToRawLongBits((Double) value)); break;
      case BOOL: out.u8((Boolean) value ? 1 : 0); break;
      case STRING: out.string((String) value); break;
      case ARRAY: writeArray(out, (GgufArray) value); break;
      default: throw new AssertionError(type);
    }
  }

  private static void writeArray(Output out, GgufArray array) throws IOException {
    GgufValueType type = array.elementType();
    out.u32(type.id());
    out.u64(array.size());
    Object storage = array.storage();
    switch (type) {
      case UINT8: case INT8: out.bytes((byte[]) storage); break;
      case UINT16: case INT16: for (short v : (short[]) storage) out.u16(v); break;
      case UINT32: case INT32: for (int v : (int[]) storage) out.u32(v); break;
      case UINT64: case INT64: for (long v : (long[]) storage) out.u64(v); break;
      case FLOAT32: for (float v : (float[]) storage) out.u32(Float.floatToRawIntBits(v)); break;
      case FLOAT64: for (double v : (double[]) storage) out.u64(Double.doubleToRawLongBits(v)); break;
      case BOOL: for (boolean v : (boolean[]) storage) out.u8(v ? 1 : 0); break;
      case STRING: for (String v : (String[]) storage) out.string(v); break;
      case ARRAY: for (GgufArray v : (GgufArray[]) storage) writeArray(out, v); break;
      default: throw new AssertionError(type);
    }
  }

  private GgufWriter entry(String key, GgufValueType type, Object value) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("metadata key must not be empty");
    }
    if (key.equals(GgufMetadata.ALIGNMENT)) {
      throw new IllegalArgumentException(GgufMetadata.ALIGNMENT + " is set through alignment(int)");
    }
    values.put(key, new Value(type, value));
    return this;
  }

  private static long checkRange(String key, long value, long min, long max, String type) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + ": " + type + " cannot hold " + value);
    }
    return value;
  }

  /** Little-endian buffered output that counts bytes for padding. */
  private static final class Output {
    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    Output(WritableByteChannel channel) {
      this.channel = channel;
    }

    void u8(int v) throws IOException {
      room(1).put((byte) v);
    }

    void u16(int v) throws IOException {
      room(2).putShort((short) v);
    }

    void u32(int v) throws IOException {
      room(4).putInt(v);
    }

    void u64(long v) throws IOException {
      room(8).putLong(v);
    }

    void string(String s) throws IOException {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      u64(utf8.length);
      bytes(utf8);
    }

    void bytes(byte[] b) throws IOException {
      buffer(ByteBuffer.wrap(b));
    }

    void buffer(ByteBuffer src) throws IOException {
      while (src.hasRemaining()) {
        ByteBuffer dst = room(1);
        int n = Math.min(dst.remaining(), src.remaining());
        ByteBuffer chunk = src.duplicate();
        ((Buffer) chunk).limit(chunk.position() + n);
        dst.put(chunk);
        ((Buffer) src).position(src.position() + n);
      }
    }

    void pad(int alignment) throws IOException {
      long total = written + buffer.position();
      long padding = GgufParser.alignUp(total, alignment) - total;
      for (long i = 0; i < padding; i++) {
        u8(0);
      }
    }

    void flush() throws IOException {
      written += buffer.position();
      ((Buffer) buffer).flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      ((Buffer) buffer).clear();
    }

    private ByteBuffer room(int n) throws IOException {
      if (buffer.remaining() < n) {
        flush();
      }
      return buffer;
    }
  }
}

package dev.overture.lm.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-assembles GGUF bytes field by field, so tests can state layouts and craft corrupt files. */
final class GgufImage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static GgufImage header(int version, long tensors, long kvs) {
    return new GgufImage().raw('G', 'G', 'U', 'F').u32(version).u64(tensors).u64(kvs);
  }

  GgufImage raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  GgufImage u8(int v) {
    return raw(v);
  }

  GgufImage u32(long v) {
    return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v));
  }

  GgufImage u64(long v) {
    return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v));
  }

  GgufImage f32(float v) {
    return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v));
  }

  GgufImage str(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    u64(utf8.length);
    out.write(utf8, 0, utf8.length);
    return this;
  }

  /** A key with a scalar value type; the caller appends the value. */
  GgufImage key(String key, GgufValueType type) {
    return str(key).u32(type.id());
  }

  /** A tensor info. */
  GgufImage tensor(String name, GgmlType type, long offset, long... shape) {
    str(name).u32(shape.length);
    for (long d : shape) {
      u64(d);
    }
    return u32(type.id()).u64(offset);
  }

  /** Zero bytes up to a multiple of {@code alignment}. */
  GgufImage pad(int alignment) {
    while (out.size() % alignment != 0) {
      out.write(0);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private GgufImage put(ByteBuffer b) {
    out.write(b.array(), 0, b.capacity());
    return this;
  }
}

package dev.overture.lm.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's entry in a GGUF file.
 *
 * @param name tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param shape dimensions in ggml order: {@code shape[0]} ({@code ne0}) is the row length, the
 *     innermost and contiguous dimension; {@code shape[1]} counts rows, and so on. A weight matrix
 *     {@code W} of a layer {@code y = W x} with {@code x} of length n and {@code y} of length m has
 *     shape {@code [n, m]}. Between one and four dimensions, each non-negative; the accessor
 *     returns a copy
 * @param type element type; {@code shape[0]} is a multiple of its block size
 * @param offset byte offset of the data relative to the start of the file's tensor data section
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {
  /** ggml's GGML_MAX_DIMS. */
  public static final int MAX_DIMENSIONS = 4;

  public GgufTensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    shape = shape.clone();
    if (shape.length < 1 || shape.length > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(name + ": " + shape.length + " dimensions, expected 1 to " + MAX_DIMENSIONS);
    }
    long elements = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
      }
      elements = Math.multiplyExact(elements, d);
    }
    if (shape[0] % type.blockSize() != 0) {
      throw new IllegalArgumentException(name + ": row length " + shape[0] + " is not a multiple of "
          + type + "'s block size " + type.blockSize());
    }
    type.bytesFor(elements); // overflow check
    if (offset < 0) {
      throw new IllegalArgumentException(name + ": negative offset " + offset);
    }
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int dimensions() {
    return shape.length;
  }

  /** Dimension {@code i} in ggml order ({@code 0} is the row length); 1 beyond the last. */
  public long dimension(int i) {
    return i < shape.length ? shape[i] : 1;
  }

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long byteSize() {
    return type.bytesFor(elementCount());
  }

  /** Bytes of one row ({@code shape[0]} elements). */
  public long rowBytes() {
    return type.bytesFor(shape[0]);
  }

  /**
   * Number of rows: the product of {@code shape[1..]}.
   *
   * @throws ArithmeticException if it does not fit an int
   */
  public int rows() {
    long rows = 1;
    for (int i = 1; i < shape.length; i++) {
      rows *= shape[i];
    }
    return Math.toIntExact(rows);
  }

  /**
   * Row length {@code shape[0]}.
   *
   * @throws ArithmeticException if it does not fit an int
   */
  public int rowLength() {
    return Math.toIntExact(shape[0]);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GgufTensorInfo)) {
      return false;
    }
    GgufTensorInfo other = (GgufTensorInfo) o;
    return name.equals(other.name) && Arrays.equals(shape, other.shape) && type == other.type && offset == other.offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), type, offset);
  }

  @Override
  public String toString() {
    return "GgufTensorInfo[" + name + ", " + type + " " + Arrays.toString(shape) + " @" + offset + "]";
  }
}

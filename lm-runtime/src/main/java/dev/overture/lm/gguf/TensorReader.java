package dev.overture.lm.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads part of a tensor's data: how expert weights reach the decoder. The default reads the
 * memory-mapped file ({@link #mapped}); an offloading cache may read with direct I/O instead, so
 * that the page cache does not hide what a load costs.
 */
@FunctionalInterface
public interface TensorReader {

  /**
   * The bytes {@code [offset, offset + length)} of {@code tensor}'s data, little-endian, positioned
   * at 0 with {@code length} remaining.
   */
  ByteBuffer read(GgufTensorInfo tensor, long offset, int length) throws IOException;

  /** Slices of the file's memory mapping: no copy, no read until the bytes are touched. */
  static TensorReader mapped(GgufFile file) {
    return (tensor, offset, length) -> {
      ByteBuffer all = file.tensorData(tensor);
      ByteBuffer part = all.duplicate();
      ((java.nio.Buffer) part).position(Math.toIntExact(offset)); // Buffer's methods: Android 26 lacks the overrides
      ByteBuffer slice = part.slice();
      ((java.nio.Buffer) slice).limit(length);
      return slice.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    };
  }
}

package dev.overture.lm.gguf;

import java.util.Arrays;

/**
 * Plans the memory mappings of a file's tensor data. A {@link java.nio.ByteBuffer} addresses at
 * most 2 GiB, so a larger file needs several mappings, and every tensor must lie wholly inside
 * one of them. Tensors are taken in file order and packed greedily into windows of at most {@code
 * maxWindow} bytes; a tensor larger than that gets a window of its own.
 */
final class TensorWindows {
  /** Start and length of each window (absolute file offsets). */
  final long[] starts;
  final long[] lengths;
  /** Window index of each tensor, in the order given to {@link #plan}. */
  final int[] windowOfTensor;

  private TensorWindows(long[] starts, long[] lengths, int[] windowOfTensor) {
    this.starts = starts;
    this.lengths = lengths;
    this.windowOfTensor = windowOfTensor;
  }

  /**
   * @param tensorStarts absolute start of each tensor's data
   * @param tensorSizes byte size of each tensor; none above {@code Integer.MAX_VALUE}
   * @param maxWindow largest window to plan, at most {@code Integer.MAX_VALUE}
   */
  static TensorWindows plan(long[] tensorStarts, long[] tensorSizes, long maxWindow) {
    if (maxWindow < 1 || maxWindow > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("window size " + maxWindow);
    }
    int n = tensorStarts.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(tensorStarts[a], tensorStarts[b]));

    long[] starts = new long[n];
    long[] lengths = new long[n];
    int[] windowOfTensor = new int[n];
    int windows = 0;
    long windowStart = 0;
    long windowEnd = 0;
    for (int k = 0; k < n; k++) {
      int t = order[k];
      long start = tensorStarts[t];
      long end = start + tensorSizes[t];
      if (windows == 0 || Math.max(windowEnd, end) - windowStart > maxWindow) {
        if (windows > 0) {
          lengths[windows - 1] = windowEnd - windowStart;
        }
        windowStart = start;
        windowEnd = end;
        starts[windows++] = start;
      } else {
        windowEnd = Math.max(windowEnd, end);
      }
      windowOfTensor[t] = windows - 1;
    }
    if (windows > 0) {
      lengths[windows - 1] = windowEnd - windowStart;
    }
    return new TensorWindows(Arrays.copyOf(starts, windows), Arrays.copyOf(lengths, windows), windowOfTensor);
  }

  int count() {
    return starts.length;
  }
}

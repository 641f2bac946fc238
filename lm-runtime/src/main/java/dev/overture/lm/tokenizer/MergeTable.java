package dev.overture.lm.tokenizer;

import java.util.Arrays;

/**
 * BPE merges keyed by the pair of token ids they join: an open-addressing hash table from {@code
 * (left, right)} to the merge's rank (lower merges first) and the id of the merged token.
 */
final class MergeTable {
  static final long NONE = -1;

  private final long[] keys;
  private final long[] values;
  private final int mask;
  private int size;

  MergeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    Arrays.fill(keys, -1);
    mask = capacity - 1;
  }

  /** Records a merge unless the pair already has one (a lower rank, added earlier, wins). */
  void put(int left, int right, int rank, int merged) {
    long key = key(left, right);
    int slot = slot(key);
    while (keys[slot] != -1) {
      if (keys[slot] == key) {
        return;
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    values[slot] = ((long) rank << 32) | merged;
    size++;
  }

  /** {@code rank << 32 | mergedId} for the pair, or {@link #NONE}. */
  long get(int left, int right) {
    if (left < 0 || right < 0) {
      return NONE;
    }
    long key = key(left, right);
    int slot = slot(key);
    while (keys[slot] != -1) {
      if (keys[slot] == key) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return NONE;
  }

  int size() {
    return size;
  }

  static int rank(long entry) {
    return (int) (entry >>> 32);
  }

  static int merged(long entry) {
    return (int) entry;
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFF_FFFFL);
  }

  private int slot(long key) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h >>> 32) & mask;
  }
}

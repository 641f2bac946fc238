package dev.overture.lm.offload;

import java.util.Arrays;
import java.util.function.IntToLongFunction;

/**
 * The experts of one layer held in fast memory, with the bookkeeping every replacement policy
 * needs; the one implementation behind the live {@link ExpertCache} and the {@link
 * CacheSimulator}. Not thread-safe.
 */
final class ResidentSet {

  private final int capacity;
  private final int[] experts;
  private final long[] lastUse;
  private final long[] uses;
  private int size;

  ResidentSet(int capacity) {
    this.capacity = capacity;
    this.experts = new int[capacity];
    this.lastUse = new long[capacity];
    this.uses = new long[capacity];
  }

  int capacity() {
    return capacity;
  }

  int size() {
    return size;
  }

  /** Records a use of {@code expert} at {@code tick}; returns whether it was resident. */
  boolean touch(int expert, long tick) {
    int slot = slotOf(expert);
    if (slot < 0) {
      return false;
    }
    lastUse[slot] = tick;
    uses[slot]++;
    return true;
  }

  boolean contains(int expert) {
    return slotOf(expert) >= 0;
  }

  /**
   * Makes {@code expert} resident, evicting by {@code policy} when full, and returns the evicted
   * expert, or -1 (nothing evicted, or a capacity of 0: nothing is kept).
   *
   * @param nextUse for {@link ReplacementPolicy#BELADY}: the tick of an expert's next use
   *     ({@code Long.MAX_VALUE} for never); ignored by the other policies
   */
  int admit(int expert, long tick, ReplacementPolicy policy, IntToLongFunction nextUse) {
    if (capacity == 0) {
      return -1;
    }
    int evicted = -1;
    int slot;
    if (size < capacity) {
      slot = size++;
    } else {
      slot = victim(policy, nextUse);
      evicted = experts[slot];
    }
    experts[slot] = expert;
    lastUse[slot] = tick;
    uses[slot] = 1;
    return evicted;
  }

  /** The resident experts, in no particular order. */
  int[] residents() {
    return Arrays.copyOf(experts, size);
  }

  private int victim(ReplacementPolicy policy, IntToLongFunction nextUse) {
    int best = 0;
    for (int s = 1; s < size; s++) {
      if (worse(s, best, policy, nextUse)) {
        best = s;
      }
    }
    return best;
  }

  /** Whether slot {@code a} is a better victim than slot {@code b}. */
  private boolean worse(int a, int b, ReplacementPolicy policy, IntToLongFunction nextUse) {
    switch (policy) {
      case LFU:
        if (uses[a] != uses[b]) {
          return uses[a] < uses[b];
        }
        return lastUse[a] < lastUse[b];
      case BELADY:
        return nextUse.applyAsLong(experts[a]) > nextUse.applyAsLong(experts[b]);
      default:
        return lastUse[a] < lastUse[b];
    }
  }

  private int slotOf(int expert) {
    for (int s = 0; s < size; s++) {
      if (experts[s] == expert) {
        return s;
      }
    }
    return -1;
  }
}

package dev.overture.lm.offload;

import dev.overture.lm.RoutingObserver;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts how often a layer's expert set changes from one token to the next, over any number of
 * sessions (the switch rate that decides whether offloading can work): give each session its own
 * {@link #observer()}. Thread-safe.
 */
public final class SwitchCounter {

  private final LongAdder pairs = new LongAdder();
  private final LongAdder switches = new LongAdder();

  /** An observer for one session (it remembers that session's previous sets). */
  public RoutingObserver observer() {
    return new RoutingObserver() {
      private int[][] previous = new int[0][];

      @Override
      public void onRouting(int layer, int position, int[] experts, float[] weights, float[] probabilities) {
        if (layer >= previous.length) {
          previous = Arrays.copyOf(previous, layer + 1);
        }
        int[] current = experts.clone();
        Arrays.sort(current);
        if (previous[layer] != null) {
          pairs.increment();
          if (!Arrays.equals(previous[layer], current)) {
            switches.increment();
          }
        }
        previous[layer] = current;
      }
    };
  }

  /** The share of token-to-token steps at which a layer's set changed, or NaN before any. */
  public double rate() {
    long n = pairs.sum();
    return n == 0 ? Double.NaN : (double) switches.sum() / n;
  }
}

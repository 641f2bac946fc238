package dev.overture.lm.offload;

import dev.overture.lm.ExpertRouter;
import java.util.Arrays;

/**
 * Temporally extended routing without training: each layer keeps the expert set it used for the
 * previous token unless the router's preferred set beats it, in summed probability, by more than a
 * switching cost. It is the deliberation cost of the TE-MoE controller (Shen and Henderson, arXiv
 * 2604.20156) applied at inference. One per session (it remembers each layer's set).
 */
public final class StickyRouter implements ExpertRouter {

  private final double switchCost;
  private int[][] previous = new int[0][];
  private int[] best = new int[0];

  /** @param switchCost how much more probability a new set needs, 0 to 1 (0: always switch) */
  public StickyRouter(double switchCost) {
    if (!(switchCost >= 0 && switchCost <= 1)) {
      throw new IllegalArgumentException("switch cost must be in [0, 1], got " + switchCost);
    }
    this.switchCost = switchCost;
  }

  @Override
  public int route(int layer, float[] probabilities, int k, int[] chosen) {
    if (layer >= previous.length) {
      previous = Arrays.copyOf(previous, layer + 1);
    }
    if (best.length != k) {
      best = new int[k];
    }
    ExpertRouter.topK(probabilities, k, best);
    int[] kept = previous[layer];
    if (kept != null && kept.length == k && mass(probabilities, kept) >= mass(probabilities, best) - switchCost) {
      System.arraycopy(kept, 0, chosen, 0, k);
      sortByProbability(chosen, k, probabilities);
      return k;
    }
    previous[layer] = Arrays.copyOf(best, k);
    System.arraycopy(best, 0, chosen, 0, k);
    return k;
  }

  private static double mass(float[] p, int[] set) {
    double sum = 0;
    for (int e : set) {
      sum += p[e];
    }
    return sum;
  }

  private static void sortByProbability(int[] experts, int n, float[] p) {
    for (int i = 1; i < n; i++) {
      int e = experts[i];
      int j = i - 1;
      while (j >= 0 && p[experts[j]] < p[e]) {
        experts[j + 1] = experts[j];
        j--;
      }
      experts[j + 1] = e;
    }
  }
}

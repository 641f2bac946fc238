package dev.overture.lm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits according to a {@link SamplingConfig}. Reproducible: the same
 * seed and logits give the same tokens. Allocation-free after construction; not thread-safe (one
 * per session).
 */
public final class Sampler {
  private final SamplingConfig config;
  private final SplittableRandom random;
  private final float[] work;
  private final int[] candidates;
  private final float[] probabilities;
  private final int[] penalizedAt; // the call that last penalized each token (once per call)
  private int calls;

  public Sampler(SamplingConfig config, int vocabSize) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.work = new float[vocabSize];
    int k = config.topK() > 0 ? Math.min(config.topK(), vocabSize) : vocabSize;
    this.candidates = new int[k];
    this.probabilities = new float[k];
    this.penalizedAt = new int[vocabSize];
  }

  public SamplingConfig config() {
    return config;
  }

  /**
   * Returns the next token.
   *
   * @param logits one score per vocabulary entry (not modified)
   * @param history tokens so far, {@code history[0..historyLength)}, for the repetition penalty
   */
  public int sample(float[] logits, int[] history, int historyLength) {
    int vocab = work.length;
    boolean finite = false;
    for (int i = 0; i < vocab; i++) {
      float x = logits[i];
      // A NaN compares false with everything: it would win greedy decoding at index 0 or poison
      // the probabilities. It becomes the least likely score instead.
      work[i] = Float.isNaN(x) ? Float.NEGATIVE_INFINITY : x;
      finite |= work[i] > Float.NEGATIVE_INFINITY;
    }
    if (!finite) {
      throw new IllegalStateException("every logit is NaN or -infinity: the forward pass failed");
    }
    if (config.repetitionPenalty() > 1f) {
      // Once per distinct token in the window, as llama.cpp does: a token seen five times is not
      // penalized five times over.
      int call = ++calls;
      for (int i = Math.max(0, historyLength - config.repetitionWindow()); i < historyLength; i++) {
        int t = history[i];
        if (penalizedAt[t] == call) {
          continue;
        }
        penalizedAt[t] = call;
        work[t] = work[t] > 0 ? work[t] / config.repetitionPenalty() : work[t] * config.repetitionPenalty();
      }
    }
    if (config.isGreedy()) {
      int best = 0;
      for (int i = 1; i < vocab; i++) {
        if (work[i] > work[best]) {
          best = i;
        }
      }
      return best;
    }
    int n = topK();
    // Candidates are sorted best first; convert to probabilities at temperature 1 for the filters.
    float max = work[candidates[0]];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      probabilities[i] = (float) Math.exp(work[candidates[i]] - max);
      sum += probabilities[i];
    }
    int keep = n;
    if (config.topP() < 1f) {
      double acc = 0;
      for (int i = 0; i < n; i++) {
        acc += probabilities[i] / sum;
        if (acc >= config.topP()) {
          keep = i + 1;
          break;
        }
      }
    }
    if (config.minP() > 0f) {
      float threshold = probabilities[0] * config.minP();
      int i = 1;
      while (i < keep && probabilities[i] >= threshold) {
        i++;
      }
      keep = i;
    }
    double total = 0;
    for (int i = 0; i < keep; i++) {
      probabilities[i] = (float) Math.exp((work[candidates[i]] - max) / config.temperature());
      total += probabilities[i];
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < keep; i++) {
      r -= probabilities[i];
      if (r <= 0) {
        return candidates[i];
      }
    }
    return candidates[keep - 1];
  }

  /** Fills {@link #candidates} with the best {@code k} tokens, best first; returns k. */
  private int topK() {
    int k = candidates.length;
    int vocab = work.length;
    if (k == vocab) {
      for (int i = 0; i < vocab; i++) {
        candidates[i] = i;
      }
    } else {
      // Min-heap of the k best seen so far, keyed by score.
      for (int i = 0; i < k; i++) {
        candidates[i] = i;
        siftUp(i);
      }
      for (int i = k; i < vocab; i++) {
        if (work[i] > work[candidates[0]]) {
          candidates[0] = i;
          siftDown(0, k);
        }
      }
    }
    sortDescending(k);
    return k;
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (work[candidates[i]] >= work[candidates[parent]]) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i, int n) {
    while (true) {
      int l = 2 * i + 1;
      int smallest = i;
      if (l < n && work[candidates[l]] < work[candidates[smallest]]) {
        smallest = l;
      }
      if (l + 1 < n && work[candidates[l + 1]] < work[candidates[smallest]]) {
        smallest = l + 1;
      }
      if (smallest == i) {
        return;
      }
      swap(i, smallest);
      i = smallest;
    }
  }

  private void swap(int a, int b) {
    int t = candidates[a];
    candidates[a] = candidates[b];
    candidates[b] = t;
  }

  // Insertion sort for small k, heap sort otherwise; both in place, no allocation.
  private void sortDescending(int n) {
    if (n <= 64) {
      for (int i = 1; i < n; i++) {
        int c = candidates[i];
        float v = work[c];
        int j = i - 1;
        while (j >= 0 && (work[candidates[j]] < v || (work[candidates[j]] == v && candidates[j] > c))) {
          candidates[j + 1] = candidates[j];
          j--;
        }
        candidates[j + 1] = c;
      }
      return;
    }
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(i, n);
    }
    for (int end = n - 1; end > 0; end--) {
      swap(0, end);
      siftDown(0, end);
    }
    // The min-heap sort leaves the array in descending order.
    assert n < 2 || work[candidates[0]] >= work[candidates[n - 1]] : Arrays.toString(Arrays.copyOf(candidates, 4));
  }
}

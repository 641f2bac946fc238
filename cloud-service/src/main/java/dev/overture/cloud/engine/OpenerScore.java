package dev.overture.cloud.engine;

import java.util.Arrays;

/**
 * The engine's opinion of each opener word: the mean natural-log probability of the word's
 * tokens, or no opinion at all.
 */
public final class OpenerScore {
  private static final OpenerScore UNSCORED = new OpenerScore(null);

  private final float[] wordLogProbabilities;

  private OpenerScore(float[] wordLogProbabilities) {
    this.wordLogProbabilities = wordLogProbabilities;
  }

  public static OpenerScore of(float[] wordLogProbabilities) {
    return new OpenerScore(wordLogProbabilities.clone());
  }

  /** For engines that cannot score (an upstream without log-probabilities). */
  public static OpenerScore unscored() {
    return UNSCORED;
  }

  public boolean scored() {
    return wordLogProbabilities != null;
  }

  public int words() {
    return wordLogProbabilities == null ? 0 : wordLogProbabilities.length;
  }

  /** Mean log-probability of word {@code index}'s tokens. */
  public float wordLogProbability(int index) {
    if (wordLogProbabilities == null) {
      throw new IllegalStateException("unscored");
    }
    return wordLogProbabilities[index];
  }

  @Override
  public String toString() {
    return scored() ? "OpenerScore" + Arrays.toString(wordLogProbabilities) : "OpenerScore[unscored]";
  }
}

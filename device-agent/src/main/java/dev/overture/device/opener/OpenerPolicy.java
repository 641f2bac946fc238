package dev.overture.device.opener;

/**
 * How long the device's opener is. The agent aims for the fewest words whose speaking time covers
 * the cloud's expected latency (so the cloud's first word arrives before the opener has finished
 * playing), within {@code [minWords, maxWords]}; an opener stops early at a sentence end.
 *
 * @param minWords fewest words of an opener that does not end its sentence earlier (at least 1)
 * @param maxWords most words (at most the protocol's {@code max_opener_words}, 12)
 */
public record OpenerPolicy(int minWords, int maxWords) {

  /** The protocol's default cap on opener words. */
  public static final int PROTOCOL_MAX_WORDS = 12;

  public OpenerPolicy {
    if (minWords < 1 || maxWords < minWords || maxWords > PROTOCOL_MAX_WORDS) {
      throw new IllegalArgumentException(
          "an opener policy needs 1 <= minWords <= maxWords <= " + PROTOCOL_MAX_WORDS + ", got " + minWords + " and " + maxWords);
    }
  }

  /** Four to eight words, as the micro-LM paper recommends. */
  public static OpenerPolicy defaults() {
    return new OpenerPolicy(4, 8);
  }

  /**
   * The opener length for a cloud expected to answer {@code expectedLatencyNanos} after the commit,
   * spoken at {@code wordsPerSecond}: enough words to cover that latency, one more for the words
   * still queued ahead of the commit, clamped to the policy's bounds.
   */
  public int targetWords(long expectedLatencyNanos, double wordsPerSecond) {
    double words = Math.ceil(expectedLatencyNanos / 1e9 * wordsPerSecond) + 1;
    return (int) Math.max(minWords, Math.min(maxWords, words));
  }
}

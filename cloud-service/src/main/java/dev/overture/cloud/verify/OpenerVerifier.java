package dev.overture.cloud.verify;

import dev.overture.cloud.engine.OpenerScore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Turns the engine's per-word scores of a committed opener into a {@link Verdict}: accept when no
 * word is bad; rewind to the last good word when the device has not yet spoken the first bad
 * one; repair when it has (or when the transport cannot carry a rewind). An engine that cannot
 * score ({@link OpenerScore#unscored()}) is always accepted. Stateless and thread-safe.
 */
@Component
public final class OpenerVerifier {

  private final VerifyProperties properties;

  public OpenerVerifier(VerifyProperties properties) {
    this.properties = properties;
  }

  /**
   * The verdict on an opener of {@code committedWords} words.
   *
   * @param wordsHeard opener words the user has heard so far (from {@code playback.progress})
   * @param canRewind false for the one-shot HTTP binding, which has no channel for the ack
   */
  public Verdict verdict(OpenerScore score, int committedWords, int wordsHeard, boolean canRewind) {
    int bad = firstBadWord(score, committedWords);
    if (bad < 0) {
      return new Verdict.Accept(committedWords);
    }
    if (canRewind && wordsHeard <= bad) {
      return new Verdict.Rewind(bad);
    }
    return new Verdict.Repair(committedWords);
  }

  /** The repair bridge for a turn: picked by the turn id, so a retried turn says the same. */
  public String bridge(String turnId) {
    List<String> bridges = properties.repairBridges();
    return bridges.get(Math.floorMod(turnId.hashCode(), bridges.size()));
  }

  /** Whether openers are scored at all. */
  public boolean enabled() {
    return properties.enabled();
  }

  /** The index of the first word below the threshold, or -1. */
  private int firstBadWord(OpenerScore score, int committedWords) {
    if (!properties.enabled() || !score.scored() || score.words() != committedWords) {
      return -1;
    }
    for (int i = 0; i < committedWords; i++) {
      if (score.wordLogProbability(i) < properties.minWordLogprob()) {
        return i;
      }
    }
    return -1;
  }
}

package dev.overture.cloud.verify;

import dev.overture.cloud.engine.OpenerScore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Turns the engine's per-word scores of a committed opener into a {@link Verdict}. A word the user
 * has heard cannot be unsaid, so it is judged by a lower bar: the opener is repaired (after its
 * last word, with a bridge) when a heard word is below {@code min-heard-word-logprob}; otherwise
 * it is rewound to its first unheard word below {@code min-word-logprob}; otherwise accepted. A
 * false alarm on an unheard word costs a few words the cloud says instead, one on a heard word an
 * apology: hence two bars (decision D62). Over the one-shot HTTP binding, which cannot carry a
 * rewind, every word counts as heard. An engine that cannot score ({@link
 * OpenerScore#unscored()}) is always accepted. Stateless and thread-safe.
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
    if (!properties.enabled() || !score.scored() || score.words() != committedWords) {
      return new Verdict.Accept(committedWords);
    }
    int heard = canRewind ? Math.max(0, Math.min(wordsHeard, committedWords)) : committedWords;
    float repairBelow = Math.min(properties.minHeardWordLogprob(), properties.minWordLogprob());
    for (int i = 0; i < heard; i++) {
      if (score.wordLogProbability(i) < repairBelow) {
        return new Verdict.Repair(committedWords);
      }
    }
    for (int i = heard; i < committedWords; i++) {
      if (score.wordLogProbability(i) < properties.minWordLogprob()) {
        return new Verdict.Rewind(i);
      }
    }
    return new Verdict.Accept(committedWords);
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
}

package dev.overture.cloud.verify;

import dev.overture.cloud.engine.OpenerScore;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Turns the engine's per-word scores of a committed opener into a {@link Verdict}: accept when no
 * word is bad (scored below the threshold, and not one of the user's own words); rewind to the last good word when the device has not yet spoken the first bad
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
   * The verdict on the committed opener {@code openerWords}.
   *
   * @param userTexts what the user said: the question, and the one before it for a follow-up.
   *     An opener word that is one of theirs is never a bad word (D53): the device copies the word
   *     asked about, and a model that was never taught it scores it low out of ignorance, not
   *     because restating it is wrong
   * @param wordsHeard opener words the user has heard so far (from {@code playback.progress})
   * @param canRewind false for the one-shot HTTP binding, which has no channel for the ack
   */
  public Verdict verdict(OpenerScore score, List<String> openerWords, List<String> userTexts, int wordsHeard, boolean canRewind) {
    int committedWords = openerWords.size();
    int bad = firstBadWord(score, openerWords, userWords(userTexts));
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

  /** The index of the first word below the threshold that is not one of the user's, or -1. */
  private int firstBadWord(OpenerScore score, List<String> openerWords, Set<String> userWords) {
    if (!properties.enabled() || !score.scored() || score.words() != openerWords.size()) {
      return -1;
    }
    for (int i = 0; i < openerWords.size(); i++) {
      if (score.wordLogProbability(i) < properties.minWordLogprob() && !userWords.contains(bare(openerWords.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  private static Set<String> userWords(List<String> userTexts) {
    Set<String> words = new HashSet<>();
    for (String text : userTexts) {
      for (String word : text.split("\\s+")) {
        String bare = bare(word);
        if (!bare.isEmpty()) {
          words.add(bare);
        }
      }
    }
    return words;
  }

  /** A word without the punctuation and quotes around it, lower-cased: "\"Crème," -> "crème". */
  static String bare(String word) {
    int from = 0;
    int to = word.length();
    while (from < to && !Character.isLetterOrDigit(word.codePointAt(from))) {
      from += Character.charCount(word.codePointAt(from));
    }
    while (to > from && !Character.isLetterOrDigit(word.codePointBefore(to))) {
      to -= Character.charCount(word.codePointBefore(to));
    }
    return word.substring(from, to).toLowerCase(Locale.ROOT);
  }
}

package dev.overture.replay.sample;

import dev.overture.replay.trace.Partial;
import dev.overture.replay.trace.TraceTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How a simulated user speaks a question: the timing distributions behind the sample traces and
 * the imports (docs/latency-testing.md says where each comes from). Seeded: the same seed gives
 * the same trace.
 *
 * <ul>
 *   <li>speaking rate: log-normal, median 2.5 words per second (150 words per minute, the usual
 *       figure for conversational English), sigma 0.2;
 *   <li>partials: one per recognized word, each a log-normal recognizer lag (median 120 ms, sigma
 *       0.4) after the word ends; with probability 0.15 a word is first recognized wrong (cut short)
 *       and corrected by the next partial, a revision;
 *   <li>end-pointing: the final transcript comes a log-normal delay after the speech ends (median
 *       300 ms, sigma 0.3), as voice-activity detectors wait for silence;
 *   <li>think time before a turn: log-normal, median 1.2 s, sigma 0.5.
 * </ul>
 */
public final class SpeechTiming {

  private final Random random;

  public SpeechTiming(long seed) {
    this.random = new Random(seed);
  }

  /** The turn for {@code user}, with partials and times; a barge-in after that many words, or none. */
  public TraceTurn turn(String user, String gold, Integer bargeInAfterWords) {
    String[] words = user.trim().split("\\s+");
    double rate = logNormal(2.5, 0.2);
    double wordSeconds = 1 / rate;
    List<Partial> partials = new ArrayList<>();
    StringBuilder heard = new StringBuilder();
    double lastAt = 0;
    for (int i = 0; i < words.length; i++) {
      double wordEnd = (i + 1) * wordSeconds;
      double at = Math.max(lastAt, wordEnd + logNormal(0.12, 0.4) - wordSeconds * 0.5);
      String prefix = heard.length() == 0 ? "" : heard + " ";
      if (words[i].length() > 3 && random.nextDouble() < 0.15) {
        partials.add(new Partial(round(at), prefix + words[i].substring(0, words[i].length() / 2)));
        at += 0.05;
      }
      heard.append(heard.length() == 0 ? "" : " ").append(words[i]);
      partials.add(new Partial(round(at), heard.toString()));
      lastAt = at;
    }
    double speech = Math.max(words.length * wordSeconds, lastAt);
    double endpoint = logNormal(0.3, 0.3);
    return new TraceTurn(user.trim(), gold, round(logNormal(1.2, 0.5)), round(speech), round(endpoint), partials, bargeInAfterWords);
  }

  /** A gap of a Poisson arrival process at {@code perSecond}. */
  public double arrivalGap(double perSecond) {
    return -Math.log(1 - random.nextDouble()) / perSecond;
  }

  public double uniform() {
    return random.nextDouble();
  }

  public int between(int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  private double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}

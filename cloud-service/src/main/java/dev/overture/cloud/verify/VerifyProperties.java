package dev.overture.cloud.verify;

import dev.overture.protocol.Words;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the cloud judges the device's opener ({@code overture.verify.*}).
 *
 * @param enabled false accepts every opener unscored (saves the scoring pass)
 * @param minWordLogprob a word is bad when the mean natural-log probability of its tokens, under
 *     the cloud model, is below this; the first bad word decides the verdict. The default,
 *     {@value #DEFAULT_MIN_WORD_LOGPROB}, is calibrated on the bundled models (docs/operations.md,
 *     "Calibrating the verdict")
 * @param minHeardWordLogprob a word the user has already heard is repaired only when it is below
 *     this (and below {@code minWordLogprob}): an apology for a right word costs the user more than
 *     a rewound word that was never spoken. The default, {@value #DEFAULT_MIN_HEARD_WORD_LOGPROB},
 *     is measured on the bundled models (decision D62). "Heard" is what {@code playback.progress}
 *     had reported when the verdict was made: a word the device says while a rewind travels is
 *     still repaired whatever its score, as the protocol requires of an ack that kept more words
 * @param repairBridges short self-repairs spoken after an opener that was already heard but is
 *     wrong; each starts with its own separator and ends without one, and the freshly generated
 *     answer follows it. One is picked per turn.
 */
@ConfigurationProperties("overture.verify")
public record VerifyProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue(VerifyProperties.DEFAULT_MIN_WORD_LOGPROB) float minWordLogprob,
    @DefaultValue(VerifyProperties.DEFAULT_MIN_HEARD_WORD_LOGPROB) float minHeardWordLogprob,
    @DefaultValue({" \u2014 sorry, let me put that better:", " \u2014 actually, let me correct that:"})
        List<String> repairBridges) {

  /** The default {@code min-word-logprob}, measured on the bundled models (decision D48). */
  public static final String DEFAULT_MIN_WORD_LOGPROB = "-3.0";

  /** The default {@code min-heard-word-logprob}, measured on the bundled models (decision D62). */
  public static final String DEFAULT_MIN_HEARD_WORD_LOGPROB = "-10.0";

  public VerifyProperties {
    if (!(minWordLogprob <= 0)) {
      throw new IllegalArgumentException(
          "overture.verify.min-word-logprob must be a log-probability (<= 0), got " + minWordLogprob);
    }
    if (!(minHeardWordLogprob <= 0)) {
      throw new IllegalArgumentException(
          "overture.verify.min-heard-word-logprob must be a log-probability (<= 0), got " + minHeardWordLogprob);
    }
    if (repairBridges == null || repairBridges.isEmpty()) {
      throw new IllegalArgumentException("overture.verify.repair-bridges needs at least one bridge");
    }
    for (String bridge : repairBridges) {
      // The protocol's separators (space, tab, LF, CR), not Java's whitespace: an ideographic
      // space would glue the bridge onto the last opener word and shift every word count.
      if (bridge.isEmpty()
          || !Words.isSeparator(bridge.charAt(0))
          || Words.isSeparator(bridge.charAt(bridge.length() - 1))) {
        throw new IllegalArgumentException(
            "overture.verify.repair-bridges: each bridge starts with a space and ends without one, got '"
                + bridge + "'");
      }
    }
    repairBridges = List.copyOf(repairBridges);
  }
}

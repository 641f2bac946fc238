package dev.overture.replay.run;

import java.util.List;

/**
 * What one replayed turn measured. Times in milliseconds; null where it does not apply.
 * docs/latency-testing.md defines each.
 *
 * @param firstWordMs end of speech (the final transcript) to the first word starting to play
 * @param seamMs the first cloud word's arrival minus the end of the spoken opener: positive is dead
 *     air, negative is slack (split turns with an opener and a cloud word)
 * @param stalls pauses longer than {@link TurnTimeline#STALL_MILLIS} between played words, the seam
 *     excluded
 * @param repeatedWords words spoken that the reply does not have there (a splice that repeats)
 * @param droppedWords words of the reply never spoken (a splice that loses), barge-ins excepted
 * @param bargeInYieldMs from the cancel to the last word released after it (0: none came)
 * @param cloudTtftMs the cloud's first word as the device saw it: from the opener's commit (or the
 *     request, for the OpenAI baseline)
 * @param cloudTokensPerSecond the cloud's output tokens over its streaming time
 * @param f1 token F1 of the reply against the trace's gold answer (turns without barge-in)
 * @param expectedIntervalMs the interval at which this user's turns were meant to come (think time
 *     plus speech), for coordinated-omission correction
 * @param timeline the reply's pieces, kept for the report's sample turns
 */
public record TurnSample(
    String conversation,
    int turn,
    String mode,
    String profile,
    String status,
    String transport,
    double firstWordMs,
    Double seamMs,
    int stalls,
    double stallMs,
    int repeatedWords,
    int droppedWords,
    Double bargeInYieldMs,
    Double cloudTtftMs,
    Double cloudTokensPerSecond,
    String verdict,
    String fallback,
    String error,
    Double f1,
    int openerWords,
    double expectedIntervalMs,
    String reply,
    List<TimelineEvent> timeline) {

  /** A turn that gave no result: status {@code failed}, {@code error} says why, nothing measured. */
  static TurnSample failed(String conversation, int turn, String mode, String profile, String error, double expectedIntervalMs) {
    return new TurnSample(conversation, turn, mode, profile, "failed", null, Double.NaN, null, 0, 0, 0, 0, null, null, null,
        "none", null, error, null, 0, expectedIntervalMs, "", List.of());
  }
}

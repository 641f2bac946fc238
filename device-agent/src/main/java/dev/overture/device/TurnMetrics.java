package dev.overture.device;

/**
 * What one turn measured. Times are nanoseconds from the final transcript ({@link
 * Conversation#finalTranscript}, "end of speech") unless named otherwise; -1 where the event did
 * not happen.
 *
 * @param mode the mode the turn ran in
 * @param transport {@code "websocket"}, {@code "http"} (the one-shot binding) or {@code "none"}
 * @param prefillTokensAtEnd prompt tokens the micro model still had to prefill at the end of
 *     speech (the rest was prefilled from history and partials); 0 for a reused draft
 * @param speculativeHit the opener drafted from the last partial was reused as is
 * @param firstWordNanos the first reply word was released
 * @param openerWords opener words committed (0: none)
 * @param openerTargetWords the length the policy aimed for
 * @param verdict what the cloud made of the opener
 * @param keptOpenerWords opener words in the final reply
 * @param expectedCloudNanos the cloud latency the opener length was sized for (EWMA)
 * @param commitToFirstCloudWordNanos time from the opener's commit to the first cloud word
 * @param firstCloudWordNanos the first cloud word arrived
 * @param openerPlayedNanos when the opener finished playing (from playback progress, or estimated
 *     from the speech rate)
 * @param seamNanos dead air at the handoff: how long after the opener finished playing the first
 *     cloud word arrived (0 when it came in time; -1 when no cloud word followed an opener)
 * @param deviceWords reply words the device produced
 * @param cloudWords reply words the cloud produced
 * @param fallback why the device completed the sentence itself, or null
 * @param lastCloudWordNanos the last cloud word arrived
 * @param cloudOutputTokens tokens the cloud generated ({@code continuation.done}'s usage), or -1
 */
public record TurnMetrics(
    AgentMode mode,
    String transport,
    int prefillTokensAtEnd,
    boolean speculativeHit,
    long firstWordNanos,
    int openerWords,
    int openerTargetWords,
    Verdict verdict,
    int keptOpenerWords,
    long expectedCloudNanos,
    long commitToFirstCloudWordNanos,
    long firstCloudWordNanos,
    long openerPlayedNanos,
    long seamNanos,
    int deviceWords,
    int cloudWords,
    String fallback,
    long lastCloudWordNanos,
    long cloudOutputTokens) {

  /** Whether there was dead air between the opener and the cloud's first word. */
  public boolean hadSeam() {
    return seamNanos > 0;
  }
}

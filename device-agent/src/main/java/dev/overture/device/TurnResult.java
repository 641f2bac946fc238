package dev.overture.device;

/**
 * The end of a turn.
 *
 * @param turnId the turn's id (also the protocol's {@code turn_id})
 * @param status how it ended
 * @param userText the final transcript, or empty when the turn was cancelled before it
 * @param reply the reply as it stands in the history now: everything delivered, or only what was
 *     heard after a {@link Conversation#cancel}
 * @param metrics timings and counts of the turn
 * @param error why it failed or fell back, or null
 */
public record TurnResult(String turnId, TurnStatus status, String userText, String reply, TurnMetrics metrics, AgentException error) {}

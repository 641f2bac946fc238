package dev.overture.device;

/**
 * The cloud judged the opener and wants fewer of its words: drop every word whose index is {@code
 * keptWords} or more that has not been spoken yet. Words heard already stay; when the cloud wanted
 * fewer than that, a {@link RepairStart} follows.
 *
 * @param turnId the turn
 * @param keptWords how many opener words remain in the reply
 */
public record Rewind(String turnId, int keptWords) {}

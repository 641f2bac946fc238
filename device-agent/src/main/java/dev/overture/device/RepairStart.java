package dev.overture.device;

/**
 * The cloud found a mistake in opener words the user already heard: the next cloud words are a
 * short self-repair ("— sorry, let me put that better:") followed by the right content. Nothing
 * has to be dropped; apps may use it to change the voice's prosody.
 *
 * @param turnId the turn
 * @param afterWords the repair follows this many reply words
 */
public record RepairStart(String turnId, int afterWords) {}

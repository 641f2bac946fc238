package dev.overture.replay.run;

/**
 * One piece of a reply in a turn's timeline; times in milliseconds from the end of speech.
 *
 * @param text the piece
 * @param source {@code device} or {@code cloud}
 * @param releasedMs when the agent released it
 * @param playedMs when it started playing, or null if it never did (rewound, barge-in)
 */
public record TimelineEvent(String text, String source, double releasedMs, Double playedMs) {}

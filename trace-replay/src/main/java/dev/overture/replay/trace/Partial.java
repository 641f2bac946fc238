package dev.overture.replay.trace;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One speech-recognizer hypothesis while the user speaks.
 *
 * @param atSeconds when it arrives, from the start of the user's speech
 * @param text the whole utterance as recognized so far (a revision may change earlier words)
 */
public record Partial(@JsonProperty("at_s") double atSeconds, @JsonProperty("text") String text) {}

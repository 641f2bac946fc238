package dev.overture.protocol.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One step of a {@link Transcript}: a frame from one side, or the action {@code disconnect} (both
 * sides lose the connection).
 *
 * @param from {@code device} or {@code cloud}
 * @param error the code the receiver rejects the frame with; absent when it accepts it
 * @param fatal whether that rejection is fatal
 * @param delivered false when the frame is lost in flight (only the sender sees it)
 * @param sender {@code accepts} when the sender's own state machine lets the frame out although
 *     the receiver rejects it (the sender cannot know, as with an expired replay buffer)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record TranscriptStep(
    @JsonProperty("from") String from,
    @JsonProperty("action") String action,
    @JsonProperty("frame") Object frame,
    @JsonProperty("frame_text") String frameText,
    @JsonProperty("error") String error,
    @JsonProperty("fatal") Boolean fatal,
    @JsonProperty("delivered") Boolean delivered,
    @JsonProperty("sender") String sender) {}

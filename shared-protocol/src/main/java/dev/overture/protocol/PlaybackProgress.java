package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code playback.progress}: how many words of the reply (kept opener plus continuation, counted
 * by {@link Words#count}) the user has heard so far. Never decreases within a turn.
 */
@JsonTypeName(PlaybackProgress.TYPE)
public record PlaybackProgress(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "words_heard", required = true) int wordsHeard)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "playback.progress";
}

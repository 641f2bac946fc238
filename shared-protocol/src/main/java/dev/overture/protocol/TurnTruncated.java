package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code turn.truncated}: confirms {@link TurnTruncate}; the cloud's history of the turn's reply is
 * now exactly {@code text}.
 *
 * @param text {@link Words#prefix} of the reply (kept opener plus continuation) to {@code
 *     wordsHeard} words
 */
@JsonTypeName(TurnTruncated.TYPE)
public record TurnTruncated(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "words_heard", required = true) int wordsHeard,
    @JsonProperty(value = "text", required = true) String text)
    implements ServerEvent, TurnEvent {

  public static final String TYPE = "turn.truncated";
}

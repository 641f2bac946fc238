package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code continuation.delta}: the next piece of the reply text. Deltas concatenate exactly onto
 * the kept opener: the first one carries its own leading space or punctuation ({@code " music."}
 * or {@code ", especially"}); nothing is inserted between pieces.
 *
 * @param text non-empty
 */
@JsonTypeName(ContinuationDelta.TYPE)
public record ContinuationDelta(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "text", required = true) String text)
    implements ServerEvent, TurnEvent {

  public static final String TYPE = "continuation.delta";
}

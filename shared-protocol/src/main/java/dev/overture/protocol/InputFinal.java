package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code input.final}: the user's final text for the turn; no partial may follow.
 *
 * @param text the final transcript; contains at least one non-separator character
 */
@JsonTypeName(InputFinal.TYPE)
public record InputFinal(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "text", required = true) String text)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "input.final";
}

package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code input.partial}: the speech recognizer's current hypothesis of the whole utterance so far.
 * Each revision replaces the previous one entirely (it is not a delta).
 *
 * @param revision 1 for the first partial of the turn, one more for each next one
 * @param text the full hypothesis, possibly empty
 */
@JsonTypeName(InputPartial.TYPE)
public record InputPartial(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "revision", required = true) int revision,
    @JsonProperty(value = "text", required = true) String text)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "input.partial";
}

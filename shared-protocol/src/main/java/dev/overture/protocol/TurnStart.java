package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code turn.start}: the user started speaking; opens a turn. The previous turn must be finished
 * ({@link ContinuationDone} received) or cancelled ({@link TurnCancel} sent) first.
 */
@JsonTypeName(TurnStart.TYPE)
public record TurnStart(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "turn.start";
}

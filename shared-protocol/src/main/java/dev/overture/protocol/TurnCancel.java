package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code turn.cancel}: stop generating this turn (barge-in, user abort). The server ends the turn
 * with {@link ContinuationDone} (usually {@code cancelled}); deltas already in flight may still
 * arrive before it. A cancel after the turn's done is harmless and ignored.
 */
@JsonTypeName(TurnCancel.TYPE)
public record TurnCancel(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "reason", required = true) CancelReason reason)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "turn.cancel";
}

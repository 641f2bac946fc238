package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code continuation.done}: the last server event of a turn's generation.
 *
 * @param failure why the turn failed; present exactly when {@code status} is {@code failed}
 */
@JsonTypeName(ContinuationDone.TYPE)
public record ContinuationDone(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "status", required = true) DoneStatus status,
    @JsonProperty(value = "usage", required = true) Usage usage,
    @JsonProperty("failure") Failure failure)
    implements ServerEvent, TurnEvent {

  public static final String TYPE = "continuation.done";
}

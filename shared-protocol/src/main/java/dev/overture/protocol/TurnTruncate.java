package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code turn.truncate}: the user heard only the first {@code wordsHeard} words of the reply; the
 * cloud cuts its history of this turn to them ({@link Words#prefix}) and confirms with {@link
 * TurnTruncated}. Allowed once per turn, after the opener commit, once the turn is done or
 * cancelled, and before the next {@code turn.start}.
 */
@JsonTypeName(TurnTruncate.TYPE)
public record TurnTruncate(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "words_heard", required = true) int wordsHeard)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "turn.truncate";
}

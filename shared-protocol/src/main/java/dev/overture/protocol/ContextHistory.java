package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code context.history}: replaces the conversation history the cloud holds for this session,
 * oldest item first. Optional; at most once per turn, before any transcript of the turn.
 */
@JsonTypeName(ContextHistory.TYPE)
public record ContextHistory(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "items", required = true) List<HistoryItem> items)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "context.history";

  public ContextHistory {
    items = items == null ? null : Collections.unmodifiableList(new ArrayList<>(items));
  }
}

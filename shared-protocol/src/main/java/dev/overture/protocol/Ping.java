package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** {@code ping}: keep-alive; the server answers with a {@link Pong} naming this event's id. */
@JsonTypeName(Ping.TYPE)
public record Ping(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq)
    implements ClientEvent, ConnectionEvent {

  public static final String TYPE = "ping";
}

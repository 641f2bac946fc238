package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** {@code pong}: the answer to a {@link Ping}, naming the ping's event id. */
@JsonTypeName(Pong.TYPE)
public record Pong(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "in_reply_to", required = true) String inReplyTo)
    implements ServerEvent, ConnectionEvent {

  public static final String TYPE = "pong";
}

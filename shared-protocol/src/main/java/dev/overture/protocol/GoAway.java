package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code session.go_away}: the server will close this connection in {@code timeLeftMs}. The client
 * should start no new turn on it and, once the running turn is done, continue the session on a new
 * connection with {@link SessionResume}.
 *
 * @param reason human-readable, optional
 */
@JsonTypeName(GoAway.TYPE)
public record GoAway(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "time_left_ms", required = true) long timeLeftMs,
    @JsonProperty("reason") String reason)
    implements ServerEvent, ConnectionEvent {

  public static final String TYPE = "session.go_away";
}

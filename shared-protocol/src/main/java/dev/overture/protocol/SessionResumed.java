package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code session.resumed}: the server's answer to {@link SessionResume}; the server's replayed
 * events follow it, and the client resends its events after {@code lastClientSeq}.
 *
 * @param lastClientSeq the highest client sequence number the server consumed
 */
@JsonTypeName(SessionResumed.TYPE)
public record SessionResumed(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "session_id", required = true) String sessionId,
    @JsonProperty(value = "last_client_seq", required = true) long lastClientSeq)
    implements ServerEvent, ConnectionEvent {

  public static final String TYPE = "session.resumed";
}

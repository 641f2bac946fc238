package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code session.resume}: the first event on a new connection that continues a dropped session.
 * The server answers with {@link SessionResumed}, replays the server events after {@code
 * lastServerSeq}, and the client then resends its events after the server's {@code
 * last_client_seq}.
 *
 * @param resumeHandle the handle from {@link SessionStarted#resumeHandle()}
 * @param lastServerSeq the highest server sequence number the client consumed (0 if none)
 */
@JsonTypeName(SessionResume.TYPE)
public record SessionResume(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "resume_handle", required = true) String resumeHandle,
    @JsonProperty(value = "last_server_seq", required = true) long lastServerSeq)
    implements ClientEvent, ConnectionEvent {

  public static final String TYPE = "session.resume";
}

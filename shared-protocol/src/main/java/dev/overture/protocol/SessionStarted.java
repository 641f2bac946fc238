package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code session.started}: the server's answer to {@link SessionStart} (server sequence number 1).
 *
 * @param protocolVersion the accepted version, one of those the client offered
 * @param sessionId the server's id of the session, for logs
 * @param resumeHandle the secret to present in {@link SessionResume} after a dropped connection
 * @param limits the limits both sides enforce from now on
 */
@JsonTypeName(SessionStarted.TYPE)
public record SessionStarted(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "protocol_version", required = true) int protocolVersion,
    @JsonProperty(value = "session_id", required = true) String sessionId,
    @JsonProperty(value = "resume_handle", required = true) String resumeHandle,
    @JsonProperty(value = "limits", required = true) ProtocolLimits limits)
    implements ServerEvent {

  public static final String TYPE = "session.started";
}

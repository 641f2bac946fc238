package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code session.start}: the first event of a new session (client sequence number 1). The server
 * answers with {@link SessionStarted} or a fatal {@code unsupported_version} error.
 *
 * @param protocolVersions the protocol versions the client speaks, most preferred first
 * @param client who is calling
 */
@JsonTypeName(SessionStart.TYPE)
public record SessionStart(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "protocol_versions", required = true) List<Integer> protocolVersions,
    @JsonProperty(value = "client", required = true) ClientInfo client)
    implements ClientEvent {

  public static final String TYPE = "session.start";

  public SessionStart {
    protocolVersions =
        protocolVersions == null ? null : Collections.unmodifiableList(new ArrayList<>(protocolVersions));
  }
}

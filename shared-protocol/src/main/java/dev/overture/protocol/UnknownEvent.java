package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An event whose type this version does not know, as sent by a newer peer. Receivers consume its
 * sequence number and otherwise ignore it; it cannot be encoded.
 *
 * @param type the unknown wire type
 */
public record UnknownEvent(
    @JsonProperty(value = "type", required = true) String type,
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq)
    implements ClientEvent, ServerEvent {}

package dev.overture.protocol.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The members every event has, read leniently from a frame that failed to bind, so that the error
 * can name the event and the receiver can still consume its sequence number.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Envelope(
    @JsonProperty("type") String type,
    @JsonProperty("event_id") String eventId,
    @JsonProperty("seq") Long seq) {}

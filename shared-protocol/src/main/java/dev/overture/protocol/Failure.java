package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a turn failed: a stable code and a human-readable message. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Failure(
    @JsonProperty(value = "code", required = true) ErrorCode code,
    @JsonProperty(value = "message", required = true) String message) {}

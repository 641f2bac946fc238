package dev.overture.protocol.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A whole exchange between a device and a cloud, in one order both could have observed it.
 *
 * @param limits overrides of {@code ProtocolLimits} members for both sides
 * @param continueRequest when present, both sides start from this one-shot request ({@code POST
 *     /v1/continue}) instead of a WebSocket handshake
 * @param expectPhases the phases both sides end in: {@code {"device": "established", ...}}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Transcript(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty("description") String description,
    @JsonProperty("limits") Map<String, Object> limits,
    @JsonProperty("continue_request") Object continueRequest,
    @JsonProperty(value = "steps", required = true) List<TranscriptStep> steps,
    @JsonProperty("expect_phases") Map<String, String> expectPhases) {}

package dev.overture.protocol.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One frame vector: a frame in one direction and either its decoded form (valid) or the error it
 * must produce (invalid). The frame is given as a JSON value ({@code frame}), as exact text
 * ({@code frame_text}) or as exact bytes ({@code frame_base64}).
 *
 * @param direction {@code client}, {@code server} or {@code continue_request}
 * @param decoded the canonical JSON of the decoded event (valid vectors)
 * @param limits overrides of {@code ProtocolLimits} members for this vector
 * @param error the expected error code (invalid vectors)
 * @param fatal whether the error is fatal (invalid vectors)
 * @param inReplyTo the expected {@code in_reply_to} of the error (absent: none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Vector(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "direction", required = true) String direction,
    @JsonProperty("frame") Object frame,
    @JsonProperty("frame_text") String frameText,
    @JsonProperty("frame_base64") String frameBase64,
    @JsonProperty("decoded") Object decoded,
    @JsonProperty("limits") Map<String, Object> limits,
    @JsonProperty("error") String error,
    @JsonProperty("fatal") Boolean fatal,
    @JsonProperty("in_reply_to") String inReplyTo) {}

package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Token accounting of one turn on the cloud model.
 *
 * @param inputTokens prompt tokens of the turn (history, user text, kept opener)
 * @param cachedInputTokens of those, how many were prefilled before {@code input.final} arrived or
 *     reused from the cache; at most {@code inputTokens}
 * @param outputTokens generated tokens
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(
    @JsonProperty(value = "input_tokens", required = true) long inputTokens,
    @JsonProperty(value = "cached_input_tokens", required = true) long cachedInputTokens,
    @JsonProperty(value = "output_tokens", required = true) long outputTokens) {}

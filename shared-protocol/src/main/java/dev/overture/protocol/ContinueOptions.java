package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Generation options of a {@link ContinueRequest}.
 *
 * @param maxOutputTokens cap on generated tokens, at least 1; null for the server's default
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContinueOptions(@JsonProperty("max_output_tokens") Integer maxOutputTokens) {}

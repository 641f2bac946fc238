package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One message of the conversation history: who said it and what was said (or heard). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryItem(
    @JsonProperty(value = "role", required = true) Role role,
    @JsonProperty(value = "text", required = true) String text) {}

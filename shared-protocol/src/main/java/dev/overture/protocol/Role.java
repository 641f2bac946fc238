package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The speaker of a {@link HistoryItem}. */
public enum Role {
  @JsonProperty("user")
  USER,
  @JsonProperty("assistant")
  ASSISTANT
}

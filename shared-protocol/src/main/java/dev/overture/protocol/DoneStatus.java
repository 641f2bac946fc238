package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a turn's generation ended ({@link ContinuationDone#status()}). */
public enum DoneStatus {
  /** The reply is complete. */
  @JsonProperty("completed")
  COMPLETED,
  /** Stopped because the device sent {@link TurnCancel}. */
  @JsonProperty("cancelled")
  CANCELLED,
  /** Stopped by an error; {@link ContinuationDone#failure()} says which. */
  @JsonProperty("failed")
  FAILED,
  /** Stopped at the output length limit; the reply is cut short. */
  @JsonProperty("truncated")
  TRUNCATED
}

package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why the device cancels a turn. */
public enum CancelReason {
  /** The user started speaking over the reply. */
  @JsonProperty("barge_in")
  BARGE_IN,
  /** The user stopped the assistant explicitly. */
  @JsonProperty("user_stop")
  USER_STOP,
  /** The device cannot go on with the turn (for example it rejected a server event). */
  @JsonProperty("client_error")
  CLIENT_ERROR
}

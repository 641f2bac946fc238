package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code opener.rewind_ack}: the device's answer to {@link OpenerRewind}. From now on the device
 * speaks no opener word beyond {@code keptWords}.
 *
 * @param keptWords the opener's final length: the requested {@code keep_words} when the device
 *     could drop every word after it, otherwise the number of words already spoken (more than
 *     {@code keep_words}), which the cloud then has to repair
 */
@JsonTypeName(OpenerRewindAck.TYPE)
public record OpenerRewindAck(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "kept_words", required = true) int keptWords)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "opener.rewind_ack";
}

package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code opener.repair}: opener words the cloud disagrees with were (or will be) spoken; the
 * continuation that follows starts with a short self-repair bridge and then gives the right
 * content, after the first {@code afterWords} opener words.
 *
 * @param afterWords the committed word count when no rewind preceded, otherwise the {@code
 *     kept_words} of the rewind ack (which then exceeds {@code keep_words})
 */
@JsonTypeName(OpenerRepair.TYPE)
public record OpenerRepair(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "after_words", required = true) int afterWords)
    implements ServerEvent, TurnEvent {

  public static final String TYPE = "opener.repair";
}

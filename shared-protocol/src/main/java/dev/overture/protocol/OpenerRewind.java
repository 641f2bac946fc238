package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code opener.rewind}: the cloud wants only the first {@code keepWords} opener words; the device
 * drops the later ones it has not spoken yet and answers with {@link OpenerRewindAck}. If the ack
 * keeps exactly {@code keepWords} the continuation follows word {@code keepWords}; if it keeps more
 * (they were already spoken) the cloud sends {@link OpenerRepair}.
 *
 * @param keepWords less than the committed word count (0 drops the whole opener)
 */
@JsonTypeName(OpenerRewind.TYPE)
public record OpenerRewind(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "keep_words", required = true) int keepWords)
    implements ServerEvent, TurnEvent {

  public static final String TYPE = "opener.rewind";
}

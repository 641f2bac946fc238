package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code opener.accept}: the cloud keeps the whole committed opener; the continuation follows its
 * last word.
 *
 * @param wordCount the committed word count, repeated as a check
 */
@JsonTypeName(OpenerAccept.TYPE)
public record OpenerAccept(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "word_count", required = true) int wordCount)
    implements ServerEvent, TurnEvent {

  public static final String TYPE = "opener.accept";
}

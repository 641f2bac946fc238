package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code opener.commit}: the device's opener is final. Words streamed beyond {@code wordCount} are
 * withdrawn (they were never spoken).
 *
 * @param wordCount how many of the streamed words make the opener (0 for no opener)
 * @param text the concatenation of those words' texts
 */
@JsonTypeName(OpenerCommit.TYPE)
public record OpenerCommit(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "word_count", required = true) int wordCount,
    @JsonProperty(value = "text", required = true) String text)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "opener.commit";
}

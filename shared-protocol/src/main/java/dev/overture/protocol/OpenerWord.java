package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * {@code opener.word}: one word of the device's opener, streamed as soon as the micro model
 * produced it. Words travel as text, never as token ids.
 *
 * @param index 0 for the first word, one more for each next word
 * @param text the word exactly as it will be spoken and shown, with its own leading separator:
 *     word 0 has none ({@code "Sure,"}), every later word starts with at least one ({@code "
 *     electronic"}); see {@link Words}
 */
@JsonTypeName(OpenerWord.TYPE)
public record OpenerWord(
    @JsonProperty(value = "event_id", required = true) String eventId,
    @JsonProperty(value = "seq", required = true) long seq,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "index", required = true) int index,
    @JsonProperty(value = "text", required = true) String text)
    implements ClientEvent, TurnEvent {

  public static final String TYPE = "opener.word";
}

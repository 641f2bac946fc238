package dev.overture.replay.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One user utterance of a conversation and how it is spoken.
 *
 * @param user the final transcript
 * @param gold a reference answer for quality (token F1), or null
 * @param thinkSeconds pause before the user starts speaking: after the previous reply finished
 *     playing, or after the conversation's arrival for its first turn
 * @param speechSeconds how long the user speaks; the final transcript comes at this time plus
 *     {@code endpointSeconds}
 * @param endpointSeconds the recognizer's end-pointing delay (silence before it finalizes)
 * @param partials the partial transcripts, in time order
 * @param bargeInAfterWords the user talks over the reply once this many words were heard, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceTurn(
    @JsonProperty("user") String user,
    @JsonProperty("gold") String gold,
    @JsonProperty("think_s") double thinkSeconds,
    @JsonProperty("speech_s") double speechSeconds,
    @JsonProperty("endpoint_s") double endpointSeconds,
    @JsonProperty("partials") List<Partial> partials,
    @JsonProperty("barge_in_after_words") Integer bargeInAfterWords) {

  public TraceTurn {
    partials = partials == null ? List.of() : List.copyOf(partials);
  }
}

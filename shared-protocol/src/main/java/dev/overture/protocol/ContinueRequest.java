package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of the one-shot HTTP binding, {@code POST /v1/continue}: one whole turn in a single
 * request. It means exactly what this WebSocket sequence means: {@code session.start}, {@code
 * turn.start}, {@code context.history} (when {@code history} is not empty), {@code input.final},
 * one {@code opener.word} per entry of {@code openerWords} and {@code opener.commit} of all of
 * them. The response carries the server events of that turn from the opener verdict on (never
 * {@code opener.rewind}: there is no channel for the ack), numbered from 1.
 *
 * @param protocolVersion the version the request is written in
 * @param history the conversation so far, oldest first; may be empty
 * @param userText the user's final text
 * @param openerWords the committed opener, one entry per word, following the {@link Words}
 *     convention; may be empty
 * @param client optional
 * @param options optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContinueRequest(
    @JsonProperty(value = "protocol_version", required = true) int protocolVersion,
    @JsonProperty(value = "turn_id", required = true) String turnId,
    @JsonProperty(value = "history", required = true) List<HistoryItem> history,
    @JsonProperty(value = "user_text", required = true) String userText,
    @JsonProperty(value = "opener_words", required = true) List<String> openerWords,
    @JsonProperty("client") ClientInfo client,
    @JsonProperty("options") ContinueOptions options) {

  public ContinueRequest {
    history = history == null ? null : Collections.unmodifiableList(new ArrayList<>(history));
    openerWords =
        openerWords == null ? null : Collections.unmodifiableList(new ArrayList<>(openerWords));
  }

  /** The committed opener text: the words concatenated. */
  public String openerText() {
    StringBuilder text = new StringBuilder();
    for (String word : openerWords) {
      text.append(word);
    }
    return text.toString();
  }
}

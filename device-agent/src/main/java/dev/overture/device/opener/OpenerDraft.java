package dev.overture.device.opener;

import java.util.List;

/**
 * An opener the micro model generated.
 *
 * @param words the words, each as the protocol sends it (word 0 without leading separator, every
 *     later one with)
 * @param endsReply the last word ends a sentence or the model ended its reply there
 * @param complete false when the generation was aborted before its natural end
 */
public record OpenerDraft(List<String> words, boolean endsReply, boolean complete) {

  /** The opener's text: its words concatenated. */
  public String text() {
    return String.join("", words);
  }
}

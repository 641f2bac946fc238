package dev.overture.cloud.engine;

/**
 * A piece of continuation text with the usage so far.
 *
 * @param text the new text (may be empty on the last chunk, which only reports usage)
 * @param promptTokens tokens of context the engine processed for this reply
 * @param completionTokens tokens generated so far, this chunk included
 */
public record ContinuationChunk(String text, int promptTokens, int completionTokens) {
  public ContinuationChunk {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
  }
}

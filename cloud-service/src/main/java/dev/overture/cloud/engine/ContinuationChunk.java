package dev.overture.cloud.engine;

/**
 * A piece of continuation text with the usage so far.
 *
 * @param text the new text (may be empty on the last chunk, which only reports usage)
 * @param promptTokens tokens of context the engine processed for this reply
 * @param completionTokens tokens generated so far, this chunk included
 * @param cachedPromptTokens of the prompt tokens, how many were already prefilled before the
 *     opener was committed (streamed context, earlier turns); at most {@code promptTokens}
 */
public record ContinuationChunk(
    String text, int promptTokens, int completionTokens, int cachedPromptTokens) {
  public ContinuationChunk {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    if (cachedPromptTokens < 0 || cachedPromptTokens > Math.max(promptTokens, 0)) {
      throw new IllegalArgumentException(
          "cachedPromptTokens must be in [0, promptTokens], got " + cachedPromptTokens);
    }
  }

  /** A chunk from an engine that keeps no cache between calls (nothing was cached). */
  public ContinuationChunk(String text, int promptTokens, int completionTokens) {
    this(text, promptTokens, completionTokens, 0);
  }
}

package dev.overture.cloud.engine;

/**
 * A piece of continuation text with the usage so far.
 *
 * @param text the new text (may be empty on the last chunk, which only reports usage)
 * @param promptTokens tokens of context the engine processed for this reply
 * @param completionTokens tokens generated so far, this chunk included
 * @param cachedPromptTokens of the prompt tokens, how many were already prefilled before the
 *     opener was committed (streamed context, earlier turns); at most {@code promptTokens}
 * @param cutShort set on the last chunk when the reply stopped at a length limit (the token limit
 *     or a full context) rather than at the end of the model's turn; the reply is then {@code
 *     truncated}
 */
public record ContinuationChunk(
    String text, int promptTokens, int completionTokens, int cachedPromptTokens, boolean cutShort) {
  public ContinuationChunk {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    if (cachedPromptTokens < 0 || cachedPromptTokens > Math.max(promptTokens, 0)) {
      throw new IllegalArgumentException(
          "cachedPromptTokens must be in [0, promptTokens], got " + cachedPromptTokens);
    }
  }

  /** A chunk that does not end the reply at a length limit. */
  public ContinuationChunk(String text, int promptTokens, int completionTokens, int cachedPromptTokens) {
    this(text, promptTokens, completionTokens, cachedPromptTokens, false);
  }

  /** A chunk from an engine that keeps no cache between calls (nothing was cached). */
  public ContinuationChunk(String text, int promptTokens, int completionTokens) {
    this(text, promptTokens, completionTokens, 0, false);
  }
}

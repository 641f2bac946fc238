package dev.overture.cloud.engine;

/**
 * A reply to continue.
 *
 * @param context the conversation before the reply
 * @param assistantPrefix what the assistant has already said (the committed opener, or the words
 *     kept after a rewind, plus a repair bridge); may be empty
 * @param maxTokens the most tokens to generate
 */
public record ContinuationRequest(ConversationContext context, String assistantPrefix, int maxTokens) {
  public ContinuationRequest {
    if (assistantPrefix == null) {
      throw new IllegalArgumentException("assistantPrefix must not be null");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
  }
}

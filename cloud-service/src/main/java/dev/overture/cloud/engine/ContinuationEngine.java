package dev.overture.cloud.engine;

/**
 * Continues assistant replies: the embedded MoE model in this process, or an upstream
 * OpenAI-compatible server. Chosen by configuration ({@code overture.engine.kind}).
 *
 * <p>Implementations are thread-safe. {@link #open} is cheap; heavy state (a KV cache) is
 * acquired lazily by the conversation and bounded by the engine.
 */
public interface ContinuationEngine extends AutoCloseable {
  /** {@code embedded} or {@code openai}. */
  String kind();

  /** The model id reported by {@code GET /v1/models} and in responses. */
  String modelId();

  /** Whether the engine can take work (model loaded, upstream configured); drives readiness. */
  boolean ready();

  /**
   * Checks, before any engine work, that the prompt for {@code context} continued from {@code
   * assistantPrefix} fits the model's context window without its history (which is dropped, oldest
   * first, as far as needed). Engines that cannot tell (an upstream server) accept everything.
   *
   * @throws ContextTooLargeException if it does not fit
   */
  default void requireFits(ConversationContext context, String assistantPrefix) {}

  /**
   * The largest {@code max_context_chars} worth announcing for the model's window: the prompt
   * tokens the window leaves beside the room kept for the reply and the chat template, counted as
   * one character each; {@link Integer#MAX_VALUE} when the engine cannot tell (an upstream server,
   * a model still loading).
   */
  default int maxContextChars() {
    return Integer.MAX_VALUE;
  }

  /** Opens the engine-side state of one conversation (one handoff session or one HTTP request). */
  EngineConversation open(String conversationId);

  @Override
  void close();
}

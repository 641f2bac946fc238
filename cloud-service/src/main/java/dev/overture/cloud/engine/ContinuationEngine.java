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

  /** Opens the engine-side state of one conversation (one handoff session or one HTTP request). */
  EngineConversation open(String conversationId);

  @Override
  void close();
}

package dev.overture.cloud.engine;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One conversation's state in an engine. Calls for one conversation never overlap (the handoff
 * session serializes them); different conversations run concurrently.
 */
public interface EngineConversation extends AutoCloseable {
  /**
   * The context changed while the user speaks (an ASR partial, its revision, the final text). The
   * embedded engine prefills what it can now and rolls back what a revision replaced, so that
   * little is left when the opener is committed. Never blocks the caller.
   */
  void updateContext(ConversationContext context);

  /**
   * Scores each opener word with the engine's own model: the mean natural-log probability of the
   * word's tokens given the context and the words before it. Engines that cannot score answer
   * {@link OpenerScore#unscored}.
   */
  Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords);

  /**
   * Streams the reply's continuation after {@code request.assistantPrefix()}: text deltas that
   * join it seamlessly (the first delta carries its own leading space or punctuation). Cancelling
   * the subscription stops generation within one token. Errors: {@link EngineOverloadedException}
   * when no capacity is free, {@link EngineFailureException} for engine or upstream failures.
   */
  Flux<ContinuationChunk> continueReply(ContinuationRequest request);

  /** Releases the conversation's state (its KV cache). */
  @Override
  void close();
}

package dev.overture.cloud.upstream;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.OpenerScore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One conversation on the upstream server. It holds no upstream state between replies (the chat
 * API is stateless): each reply sends the whole context again.
 */
final class OpenAiConversation implements EngineConversation {
  private static final Logger log = LoggerFactory.getLogger(OpenAiConversation.class);

  private final OpenAiContinuationEngine engine;
  private final String id;
  private final Sinks.One<Boolean> closing = Sinks.one();
  private volatile boolean closed;

  OpenAiConversation(OpenAiContinuationEngine engine, String id) {
    this.engine = engine;
    this.id = id;
  }

  /** Nothing to do: the upstream sees the context only with the reply request. */
  @Override
  public void updateContext(ConversationContext context) {}

  @Override
  public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
    return Mono.just(OpenerScore.unscored());
  }

  /**
   * Streams the upstream's continuation of {@code request.assistantPrefix()}, joined onto it (see
   * {@link UpstreamReply}). Closing the conversation ends a reply in flight (and its upstream request).
   */
  @Override
  public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
    return Flux.defer(() -> {
      if (closed) {
        return Flux.error(new IllegalStateException("conversation " + id + " is closed"));
      }
      String body = engine.requestBody(request);
      UpstreamReply reply = new UpstreamReply(request.assistantPrefix(), engine.json());
      log.debug("conversation {}: continuing after {} chars of prefix", id, request.assistantPrefix().length());
      return engine.stream(body, reply)
          .<ContinuationChunk>handle(reply::onEvent)
          .concatWith(Flux.defer(reply::finish))
          .takeUntilOther(closing.asMono());
    });
  }

  @Override
  public void close() {
    closed = true;
    closing.tryEmitValue(Boolean.TRUE);
  }
}

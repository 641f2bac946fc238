package dev.overture.cloud.engine;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A conversation that passes everything to another one; override what you observe or change. */
public class ForwardingConversation implements EngineConversation {

  private final EngineConversation delegate;

  public ForwardingConversation(EngineConversation delegate) {
    this.delegate = delegate;
  }

  @Override
  public void updateContext(ConversationContext context) {
    delegate.updateContext(context);
  }

  @Override
  public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
    return delegate.scoreOpener(context, openerWords);
  }

  @Override
  public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
    return delegate.continueReply(request);
  }

  @Override
  public void close() {
    delegate.close();
  }
}

package dev.overture.cloud.engine;

/**
 * An engine that passes everything to another one; override {@link #wrap} to observe or change
 * what its conversations do (timing for benchmarks, recording for tests, injected delays).
 */
public abstract class ForwardingEngine implements ContinuationEngine {

  private final ContinuationEngine delegate;

  protected ForwardingEngine(ContinuationEngine delegate) {
    this.delegate = delegate;
  }

  /** What {@link #open} returns for a conversation of the wrapped engine; itself by default. */
  protected EngineConversation wrap(EngineConversation conversation) {
    return conversation;
  }

  @Override
  public String kind() {
    return delegate.kind();
  }

  @Override
  public String modelId() {
    return delegate.modelId();
  }

  @Override
  public boolean ready() {
    return delegate.ready();
  }

  @Override
  public void requireFits(ConversationContext context, String assistantPrefix) {
    delegate.requireFits(context, assistantPrefix);
  }

  @Override
  public int maxContextChars() {
    return delegate.maxContextChars();
  }

  @Override
  public EngineConversation open(String conversationId) {
    return wrap(delegate.open(conversationId));
  }

  @Override
  public void close() {
    delegate.close();
  }
}

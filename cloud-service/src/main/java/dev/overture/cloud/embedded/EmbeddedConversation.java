package dev.overture.cloud.embedded;

import dev.overture.cloud.concurrent.SerialExecutor;
import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContextTooLargeException;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.EngineOverloadedException;
import dev.overture.cloud.engine.OpenerScore;
import dev.overture.lm.ContextFullException;
import dev.overture.lm.InferenceSession;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One conversation on the embedded model. All its work runs in order on the engine threads
 * (through one {@link SerialExecutor}), so its KV cache is only ever touched by one thread at a
 * time; the cache itself is borrowed from the engine's {@link KvCachePool} for each piece of work.
 */
final class EmbeddedConversation implements EngineConversation {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedConversation.class);

  private final EmbeddedEngine engine;
  private final String id;
  private final SerialExecutor tasks;
  private final AtomicReference<ConversationContext> latestContext = new AtomicReference<>();
  private final AtomicBoolean prefillQueued = new AtomicBoolean();
  private volatile boolean closed;

  // Touched only by this conversation's tasks.
  private Generation generation;
  private int cachedAtCommit = -1;

  EmbeddedConversation(EmbeddedEngine engine, String id) {
    this.engine = engine;
    this.id = id;
    this.tasks = new SerialExecutor(engine.threads(), 1);
  }

  @Override
  public void updateContext(ConversationContext context) {
    latestContext.set(context);
    if (!closed && prefillQueued.compareAndSet(false, true)) {
      submit(this::prefillLatestContext, () -> prefillQueued.set(false));
    }
  }

  /** Prefills the newest context only: revisions that arrive while one prefill runs coalesce. */
  private void prefillLatestContext() {
    prefillQueued.set(false);
    ConversationContext context = latestContext.getAndSet(null);
    LoadedModel model = engine.model();
    if (context == null || closed || model == null || generating()) {
      return;
    }
    cachedAtCommit = -1; // a new context belongs to a new commit
    InferenceSession session;
    try {
      session = model.caches().pin(this);
    } catch (RuntimeException e) { // no cache fits: the commit meets the same failure and reports it
      return;
    }
    if (session == null) {
      return; // every cache is busy; the commit will prefill what is missing
    }
    try {
      int[] prompt = model.prompts().context(context, model.replyReserve());
      int kept = session.reusePrefix(prompt);
      session.prefill(Arrays.copyOfRange(prompt, kept, prompt.length));
    } catch (PromptRenderer.PromptTooLongException | ContextFullException e) {
      log.debug("conversation {}: context not prefilled: {}", id, e.getMessage());
    } finally {
      model.caches().unpin(this);
    }
  }

  @Override
  public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
    return Mono.create(sink -> {
      // A turn cancelled while its scoring waits behind other work has handed its engine slot
      // back: the prefill must not run outside admission.
      AtomicBoolean cancelled = new AtomicBoolean();
      sink.onCancel(() -> cancelled.set(true));
      submit(() -> {
        if (!cancelled.get()) {
          score(context, openerWords, sink);
        }
      }, () -> rejected(sink));
    });
  }

  private void score(ConversationContext context, List<String> words, MonoSink<OpenerScore> sink) {
    stopGeneration();
    LoadedModel model = engine.model();
    if (model == null || closed) {
      sink.error(notReady());
      return;
    }
    InferenceSession session;
    try {
      session = model.caches().pin(this);
    } catch (RuntimeException e) {
      sink.error(failure("scoring the opener failed", e));
      return;
    }
    if (session == null) {
      sink.error(new EngineOverloadedException("every KV cache is in use"));
      return;
    }
    OpenerScore score;
    try {
      score = score(model, session, context, words);
    } catch (RuntimeException e) {
      sink.error(failure("scoring the opener failed", e));
      return;
    } finally {
      model.caches().unpin(this); // before the caller hears back, so that the cache is free for it
    }
    sink.success(score);
  }

  private OpenerScore score(
      LoadedModel model, InferenceSession session, ConversationContext context, List<String> words) {
    String opener = String.join("", words);
    PromptRenderer prompts = model.prompts();
    int drop = prompts.historyToDrop(context, opener, model.replyReserve());
    int[] full = prompts.requireFits(prompts.reply(context, opener, drop), model.replyReserve());
    int[] bare = prompts.reply(context, "", drop);
    int common = commonPrefix(bare, full);
    if (common == 0) {
      return OpenerScore.unscored(); // nothing before the opener to score it against
    }
    int kept = session.reusePrefix(full);
    cachedAtCommit = Math.min(kept, common);
    // Re-process one token at most, so that the logits before the opener are fresh.
    int start = Math.max(0, Math.min(kept, common - 1));
    session.rollback(start);
    session.prefill(Arrays.copyOfRange(full, start, common));
    int[] openerTokens = Arrays.copyOfRange(full, common, full.length);
    float[] logProbabilities = session.scoreContinuation(openerTokens);
    byte[][] bytes = new byte[openerTokens.length][];
    for (int i = 0; i < openerTokens.length; i++) {
      bytes[i] = model.tokenizer().tokenBytes(openerTokens[i]);
    }
    float[] means = OpenerAlignment.wordMeans(bytes, logProbabilities, words);
    if (means == null) {
      log.debug("conversation {}: opener tokens do not align with its words; unscored", id);
      return OpenerScore.unscored();
    }
    return OpenerScore.of(means);
  }

  @Override
  public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
    return Flux.create(
        sink -> {
          Generation next = new Generation(this, request, sink);
          sink.onDispose(next::cancel);
          submit(() -> begin(next), () -> rejected(sink));
        });
  }

  private void begin(Generation next) {
    stopGeneration();
    LoadedModel model = engine.model();
    if (model == null || closed) {
      next.fail(notReady());
      return;
    }
    int cached = cachedAtCommit;
    cachedAtCommit = -1;
    generation = next;
    next.start(model, cached);
  }

  /** Queues the next step of a running generation behind any other work of this conversation. */
  void schedule(Runnable step) {
    submit(step, () -> {});
  }

  /** A generation finished (completed, failed or cancelled) and released its cache. */
  void finished(Generation done) {
    if (generation == done) {
      generation = null;
    }
  }

  String id() {
    return id;
  }

  EmbeddedEngine engine() {
    return engine;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    submit(
        () -> {
          stopGeneration();
          LoadedModel model = engine.model();
          if (model != null) {
            model.caches().release(this);
          }
        },
        () -> {});
  }

  private boolean generating() {
    return generation != null;
  }

  /** Calls never overlap by contract; a stray generation is stopped rather than interleaved. */
  private void stopGeneration() {
    if (generation != null) {
      generation.cancel();
      generation.step();
    }
  }

  private void submit(Runnable task, Runnable onRejected) {
    try {
      tasks.execute(task);
    } catch (RejectedExecutionException e) {
      onRejected.run();
    }
  }

  private static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    int same = 0;
    while (same < n && a[same] == b[same]) {
      same++;
    }
    return same;
  }

  private static void rejected(MonoSink<?> sink) {
    sink.error(notReady());
  }

  private static void rejected(FluxSink<?> sink) {
    sink.error(notReady());
  }

  private static EngineOverloadedException notReady() {
    return new EngineOverloadedException("the embedded model is not loaded");
  }

  /**
   * A typed failure: a conversation that does not fit the context is the client's {@link
   * ContextTooLargeException} (normally caught before any engine work, by {@link
   * EmbeddedEngine#requireFits}; a repair bridge can still push a prompt over); a full KV cache is
   * REJECTED; anything else FAILED.
   */
  static RuntimeException failure(String what, RuntimeException e) {
    if (e instanceof ContextTooLargeException tooLarge) {
      return tooLarge;
    }
    return new EngineFailureException(
        e instanceof ContextFullException ? EngineFailureException.Kind.REJECTED : EngineFailureException.Kind.FAILED,
        what + ": " + e.getMessage(),
        e);
  }
}

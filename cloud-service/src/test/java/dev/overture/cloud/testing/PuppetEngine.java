package dev.overture.cloud.testing;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.OpenerScore;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A continuation engine a test drives by hand: each {@code scoreOpener} call takes the next {@link
 * Score} the test queued ({@link #expectScore}), each {@code continueReply} the next {@link Reply}
 * ({@link #expectReply}). Without one queued, a score accepts every word and a reply says {@code "
 * fine."} and completes.
 */
public final class PuppetEngine implements ContinuationEngine {

  private final Queue<Score> scores = new ConcurrentLinkedQueue<>();
  private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final Set<String> openConversations = ConcurrentHashMap.newKeySet();
  private final AtomicReference<ConversationContext> lastContext = new AtomicReference<>();
  private volatile boolean ready = true;

  /** Forgets queued expectations and becomes ready; call before each test. */
  public void reset() {
    scores.clear();
    replies.clear();
    ready = true;
  }

  public void ready(boolean ready) {
    this.ready = ready;
  }

  /** The next opener score the service asks for. */
  public Score expectScore() {
    Score score = new Score();
    scores.add(score);
    return score;
  }

  /** The next reply the service asks for. */
  public Reply expectReply() {
    Reply reply = new Reply();
    replies.add(reply);
    return reply;
  }

  /** Whether the conversation with this id (the session id) is open. */
  public boolean isOpen(String conversationId) {
    return openConversations.contains(conversationId);
  }

  /** The context of the last {@code updateContext}. */
  public ConversationContext lastContext() {
    return lastContext.get();
  }

  @Override
  public String kind() {
    return "puppet";
  }

  @Override
  public String modelId() {
    return "puppet-model";
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public EngineConversation open(String conversationId) {
    openConversations.add(conversationId);
    return new EngineConversation() {
      private boolean closed;

      @Override
      public void updateContext(ConversationContext context) {
        lastContext.set(context);
      }

      @Override
      public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
        Score score = scores.poll();
        if (score == null) {
          return Mono.just(OpenerScore.of(new float[openerWords.size()]));
        }
        score.words.set(openerWords);
        return score.result.asMono();
      }

      @Override
      public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
        Reply reply = replies.poll();
        if (reply == null) {
          return Flux.just(new ContinuationChunk(" fine.", 10, 2, 4));
        }
        reply.request.set(request);
        reply.subscribed.countDown();
        return reply.chunks.asFlux().doOnCancel(reply.cancelled::countDown);
      }

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          openConversations.remove(conversationId);
        }
      }
    };
  }

  @Override
  public void close() {}

  /** One opener score the test hands out when it chooses. */
  public static final class Score {
    private final Sinks.One<OpenerScore> result = Sinks.one();
    private final AtomicReference<List<String>> words = new AtomicReference<>();

    /** Each word's mean log-probability. */
    public void complete(float... wordLogProbabilities) {
      result.tryEmitValue(OpenerScore.of(wordLogProbabilities));
    }

    public void unscored() {
      result.tryEmitValue(OpenerScore.unscored());
    }

    /** The words the service asked about (null until it asked). */
    public List<String> words() {
      return words.get();
    }
  }

  /** One reply the test writes chunk by chunk. */
  public static final class Reply {
    private final Sinks.Many<ContinuationChunk> chunks = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicReference<ContinuationRequest> request = new AtomicReference<>();
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private int tokens;

    public Reply emit(String text) {
      tokens++;
      chunks.tryEmitNext(new ContinuationChunk(text, 10, tokens, 4));
      return this;
    }

    public void complete() {
      chunks.tryEmitComplete();
    }

    /** Ends the reply as an engine does when a length limit (tokens, context) stopped it. */
    public void completeCutShort() {
      chunks.tryEmitNext(new ContinuationChunk("", 10, tokens, 4, true));
      chunks.tryEmitComplete();
    }

    public void fail(Throwable error) {
      chunks.tryEmitError(error);
    }

    /** The request the service made, once it made it. */
    public ContinuationRequest request(Duration timeout) throws InterruptedException {
      if (!subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the service did not ask for this reply within " + timeout);
      }
      return request.get();
    }

    /** Whether the service cancelled the reply within {@code timeout}. */
    public boolean cancelledWithin(Duration timeout) throws InterruptedException {
      return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}

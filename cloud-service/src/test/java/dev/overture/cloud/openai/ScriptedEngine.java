package dev.overture.cloud.openai;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.OpenerScore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A test engine whose replies a test scripts, and which records what it was asked. */
final class ScriptedEngine implements ContinuationEngine {
  static final String MODEL = "scripted-model";

  volatile Function<ContinuationRequest, Flux<ContinuationChunk>> script = request -> words("Hello", " there.");
  volatile boolean ready = true;
  final List<ContinuationRequest> requests = new CopyOnWriteArrayList<>();
  final List<Long> requested = new CopyOnWriteArrayList<>();
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();

  void reset() {
    script = request -> words("Hello", " there.");
    ready = true;
    requests.clear();
    requested.clear();
    opened.set(0);
    closed.set(0);
    cancelled.set(0);
  }

  /** One chunk per word, with 7 prompt tokens and one completion token per word. */
  static Flux<ContinuationChunk> words(String... words) {
    return Flux.range(0, words.length).map(i -> new ContinuationChunk(words[i], 7, i + 1));
  }

  @Override
  public String kind() {
    return "scripted";
  }

  @Override
  public String modelId() {
    return MODEL;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public EngineConversation open(String conversationId) {
    opened.incrementAndGet();
    return new EngineConversation() {
      @Override
      public void updateContext(ConversationContext context) {}

      @Override
      public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
        return Mono.just(OpenerScore.unscored());
      }

      @Override
      public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
        requests.add(request);
        return script.apply(request).doOnRequest(requested::add).doOnCancel(cancelled::incrementAndGet);
      }

      @Override
      public void close() {
        closed.incrementAndGet();
      }
    };
  }

  @Override
  public void close() {}
}

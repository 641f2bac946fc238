package dev.overture.cloud.upstream;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.SeamlessJoin;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state of one streamed reply: turns upstream events into {@link ContinuationChunk}s joined
 * onto the prefix ({@link RestatedPrefix}, then {@link SeamlessJoin}), counts tokens, and notices a
 * stream that ends without {@code [DONE]}.
 *
 * <p>Token counts are the upstream's {@code usage} once it sent one (the last chunk, with {@code
 * stream_options.include_usage}); until then the prompt count is 0 and the completion count is the
 * number of content events so far (OpenAI-compatible servers stream one token per event).
 *
 * <p>Events of one stream arrive sequentially; {@link #eventArrived} may be read from the timeout
 * thread, hence volatile.
 */
final class UpstreamReply {
  private final RestatedPrefix restated;
  private final SeamlessJoin join;
  private final JsonMapper json;
  private volatile boolean anyEvent;
  private boolean done;
  private boolean lengthFinish;
  private int contentEvents;
  private int promptTokens;
  private int completionTokens;
  private boolean usageReported;
  private int emittedPromptTokens = -1;
  private int emittedCompletionTokens = -1;

  UpstreamReply(String assistantPrefix, JsonMapper json) {
    this.restated = new RestatedPrefix(assistantPrefix);
    this.join = new SeamlessJoin(assistantPrefix);
    this.json = json;
  }

  void eventArrived() {
    anyEvent = true;
  }

  boolean anyEvent() {
    return anyEvent;
  }

  /** Handles one upstream event: emits the joined text it carries, if any. */
  void onEvent(ServerSentEvent<String> event, SynchronousSink<ContinuationChunk> sink) {
    if (event.data() == null || done) {
      return; // a comment or keep-alive, or anything after [DONE]
    }
    StreamedChunk chunk;
    try {
      chunk = StreamedChunk.parse(event.data(), json);
    } catch (EngineFailureException e) {
      sink.error(e);
      return;
    }
    if (chunk.end()) {
      done = true;
      return;
    }
    lengthFinish |= chunk.lengthFinish();
    if (!chunk.content().isEmpty()) {
      contentEvents++;
      if (!usageReported) {
        completionTokens = contentEvents;
      }
    }
    if (chunk.hasUsage()) {
      usageReported = true;
      promptTokens = chunk.promptTokens();
      completionTokens = chunk.completionTokens();
    }
    String text = chunk.content().isEmpty() ? "" : join.accept(restated.accept(chunk.content()));
    if (!text.isEmpty()) {
      sink.next(emit(text));
    }
  }

  /** After the upstream stream completed: the held-back text and final usage, or the cut. */
  Flux<ContinuationChunk> finish() {
    if (!done) {
      return Flux.error(new EngineFailureException(
          EngineFailureException.Kind.FAILED, "upstream stream ended before [DONE]"));
    }
    String rest = join.accept(restated.finish()) + join.finish();
    if (rest.isEmpty() && !lengthFinish && emittedPromptTokens == promptTokens && emittedCompletionTokens == completionTokens) {
      return Flux.empty();
    }
    ContinuationChunk last = emit(rest);
    return Flux.just(lengthFinish ? new ContinuationChunk(last.text(), last.promptTokens(), last.completionTokens(), 0, true) : last);
  }

  private ContinuationChunk emit(String text) {
    emittedPromptTokens = promptTokens;
    emittedCompletionTokens = completionTokens;
    return new ContinuationChunk(text, promptTokens, completionTokens);
  }
}

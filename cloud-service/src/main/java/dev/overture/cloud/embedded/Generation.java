package dev.overture.cloud.embedded;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.EngineOverloadedException;
import dev.overture.cloud.engine.SeamlessJoin;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.Utf8Assembler;
import dev.overture.lm.WordStreamer;
import java.util.Arrays;
import reactor.core.publisher.FluxSink;

/**
 * One reply being generated: prefill the prompt, then one token per step, each step its own task
 * on the engine threads. Between steps other conversations run; a cancel is seen at the start of
 * the next step, so generation stops within one token.
 *
 * <p>Text leaves as whole words ({@link WordStreamer}): each delta is one word with its leading
 * separator, sent once the next word's separator (or the end) arrives. Before that, the first word
 * passes a {@link SeamlessJoin} with the prefix, and the first token is sampled with every token
 * that would glue onto the prefix's last word masked out.
 */
final class Generation {

  /** Picks the picker may retry before the best well-formed token is taken outright. */
  static final int REPICKS = 8;

  private final EmbeddedConversation conversation;
  private final ContinuationRequest request;
  private final FluxSink<ContinuationChunk> sink;
  private final Utf8Assembler utf8 = new Utf8Assembler();
  private final SeamlessJoin join;
  private final WordStreamer words;
  private volatile boolean cancelled;

  // Touched only by the conversation's tasks.
  private LoadedModel model;
  private InferenceSession session;
  private TokenPicker picker;
  private int[] history;
  private int historyLength;
  private float[] maskedLogits;
  private boolean first = true;
  private int promptTokens;
  private int cachedTokens;
  private int produced;
  private boolean finished;

  Generation(EmbeddedConversation conversation, ContinuationRequest request, FluxSink<ContinuationChunk> sink) {
    this.conversation = conversation;
    this.request = request;
    this.sink = sink;
    this.join = new SeamlessJoin(request.assistantPrefix());
    this.words = new WordStreamer(this::emit);
  }

  /** Stops at the next step; safe from any thread. */
  void cancel() {
    cancelled = true;
  }

  /** Prefills the prompt and queues the first step. */
  void start(LoadedModel model, int cachedAtCommit) {
    this.model = model;
    if (cancelled) {
      finish();
      return;
    }
    try {
      session = model.caches().pin(conversation);
    } catch (RuntimeException e) {
      fail(EmbeddedConversation.failure("prefilling the reply failed", e));
      return;
    }
    if (session == null) {
      finished = true;
      conversation.finished(this);
      sink.error(new EngineOverloadedException("every KV cache is in use"));
      return;
    }
    try {
      PromptRenderer prompts = model.prompts();
      int reserve = Math.min(request.maxTokens(), model.replyReserve());
      int drop = prompts.historyToDrop(request.context(), request.assistantPrefix(), reserve);
      int[] prompt =
          prompts.requireFits(prompts.reply(request.context(), request.assistantPrefix(), drop), reserve);
      int kept = session.reusePrefix(prompt);
      session.prefill(Arrays.copyOfRange(prompt, kept, prompt.length));
      promptTokens = prompt.length;
      // What the commit found cached, unless the cache was lost since (evicted): then what is left.
      cachedTokens = Math.min(cachedAtCommit >= 0 ? Math.min(cachedAtCommit, kept) : kept, prompt.length);
      history = Arrays.copyOf(prompt, session.contextLength());
      historyLength = prompt.length;
      picker = conversation.engine().picker(model);
      conversation.schedule(this::step);
    } catch (RuntimeException e) {
      fail(EmbeddedConversation.failure("prefilling the reply failed", e));
    }
  }

  /** Generates one token and queues the next step, or ends the reply. */
  void step() {
    if (finished) {
      return;
    }
    if (cancelled || conversation.closed()) {
      finish();
      return;
    }
    try {
      if (produced >= request.maxTokens()) {
        complete(true);
        return;
      }
      int token = pickWellFormed(firstTokenLogits());
      if (model.tokens().stops(token)) {
        complete(false);
        return;
      }
      produced++;
      emitText(utf8.append(model.tokenizer().tokenBytes(token)));
      if (produced >= request.maxTokens() || session.position() >= session.contextLength()) {
        complete(true);
        return;
      }
      session.decode(token);
      if (historyLength < history.length) {
        history[historyLength++] = token;
      }
      conversation.schedule(this::step);
    } catch (RuntimeException e) {
      fail(EmbeddedConversation.failure("generating failed", e));
    }
  }

  /**
   * The picker's token, unless it would leave the reply malformed UTF-8 (a stray continuation
   * byte, a character cut short, the reply ending inside a character): then the picker's next
   * choice with that token masked, and after {@link #REPICKS} such tries the best-scored token that
   * keeps the text well-formed (D51). A byte-level model garbles rare accented words that way, and
   * a listener would hear U+FFFD.
   */
  private int pickWellFormed(float[] logits) {
    int token = picker.pick(logits, history, historyLength);
    float[] masked = null;
    for (int tries = 0; !wellFormed(token); tries++) {
      if (masked == null) {
        masked = logits == maskedLogits ? logits : Arrays.copyOf(logits, logits.length);
      }
      if (tries == REPICKS) {
        return bestWellFormed(masked, token);
      }
      masked[token] = Float.NEGATIVE_INFINITY;
      token = picker.pick(masked, history, historyLength);
    }
    return token;
  }

  private boolean wellFormed(int token) {
    return model.tokens().stops(token) ? utf8.atCharacterBoundary() : utf8.accepts(model.tokenizer().tokenBytes(token));
  }

  private int bestWellFormed(float[] logits, int fallback) {
    int best = -1;
    for (int t = 0; t < logits.length; t++) {
      if (logits[t] != Float.NEGATIVE_INFINITY && (best < 0 || logits[t] > logits[best]) && wellFormed(t)) {
        best = t;
      }
    }
    return best >= 0 ? best : fallback;
  }

  /** The logits to sample from: for the first token after a word, without gluing tokens. */
  private float[] firstTokenLogits() {
    float[] logits = session.logits();
    if (!first) {
      return logits;
    }
    first = false;
    if (!SeamlessJoin.endsInWord(request.assistantPrefix())) {
      return logits;
    }
    maskedLogits = Arrays.copyOf(logits, logits.length);
    model.tokens().maskGluing(maskedLogits);
    return maskedLogits;
  }

  private void emitText(String text) {
    if (!text.isEmpty()) {
      words.acceptText(join.accept(text));
    }
  }

  private void emit(String word) {
    if (!word.isEmpty() && !cancelled) {
      sink.next(new ContinuationChunk(word, promptTokens, produced, cachedTokens));
    }
  }

  /** Ends the reply; {@code cutShort} when a length limit, not the model, ended it. */
  private void complete(boolean cutShort) {
    emitText(utf8.flush());
    words.acceptText(join.finish());
    words.finish();
    finish();
    if (!cancelled) {
      sink.next(new ContinuationChunk("", promptTokens, produced, cachedTokens, cutShort));
      sink.complete();
    }
  }

  void fail(Throwable failure) {
    finish();
    sink.error(failure);
  }

  /** Returns the cache; after this the generation does nothing more. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (session != null) {
      model.caches().unpin(conversation);
    }
    conversation.finished(this);
  }
}

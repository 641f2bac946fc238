package dev.overture.lm;

import java.util.Arrays;
import java.util.Set;

/**
 * One conversation's state on a model: the KV cache and the logits of the last position.
 *
 * <p>The cache can be rolled back to any earlier position (an ASR partial was revised, an opener
 * was rewound) and a cached prefix is reused across turns by {@link #reusePrefix}.
 *
 * <p>Thread ownership: a session is used by one thread at a time. Arrays returned by {@link
 * #logits()} and the methods that return it belong to the session and are overwritten by the
 * next call.
 */
public final class InferenceSession implements AutoCloseable {
  private final ModelConfig config;
  private final ForwardPass forward;
  private final int[] tokens;
  private final float[] logits;
  private final int[] single = new int[1];
  private int position;
  private boolean logitsValid;

  InferenceSession(ModelConfig config, ForwardPass forward) {
    this.config = config;
    this.forward = forward;
    this.tokens = new int[forward.contextLength];
    this.logits = new float[config.vocabSize()];
  }

  public ModelConfig config() {
    return config;
  }

  /** Tokens in the KV cache. */
  public int position() {
    return position;
  }

  public int contextLength() {
    return forward.contextLength;
  }

  /** A copy of the cached tokens. */
  public int[] tokens() {
    return Arrays.copyOf(tokens, position);
  }

  /**
   * Routes the MoE layers' tokens with {@code router} from now on ({@code null}: the model's exact
   * top-k). A router other than the exact one changes the model's output.
   */
  public void setExpertRouter(ExpertRouter router) {
    forward.setExpertRouter(router);
  }

  /** Receives the MoE router's decisions from now on ({@code null} to stop). */
  public void setRoutingObserver(RoutingObserver observer) {
    forward.setRoutingObserver(observer);
  }

  /**
   * Appends {@code newTokens} to the cache, in batches, and returns the logits after the last one.
   *
   * @throws ContextFullException when they do not fit (nothing is appended)
   * @throws IllegalArgumentException for an empty array or a token outside the vocabulary
   */
  public float[] prefill(int[] newTokens) {
    if (newTokens.length == 0) {
      throw new IllegalArgumentException("nothing to prefill");
    }
    run(newTokens, false, null);
    return logits;
  }

  /** Appends one token and returns the logits for the next. */
  public float[] decode(int token) {
    single[0] = token;
    run(single, false, null);
    return logits;
  }

  /** Logits after the last cached token. */
  public float[] logits() {
    if (!logitsValid) {
      throw new IllegalStateException(position == 0 ? "no tokens prefilled yet" : "logits were discarded by a rollback; prefill a token first");
    }
    return logits;
  }

  /**
   * Appends {@code continuation} and returns the natural-log probability of each of its tokens
   * given everything before it; the first token is scored against the current logits, so at
   * least one token must be cached.
   */
  public float[] scoreContinuation(int[] continuation) {
    if (continuation.length == 0) {
      return new float[0];
    }
    if (continuation[0] < 0 || continuation[0] >= config.vocabSize()) { // run() checks the others
      throw new IllegalArgumentException("token id " + continuation[0] + " outside the vocabulary [0, " + config.vocabSize() + ")");
    }
    float[] scores = new float[continuation.length];
    scores[0] = logProbability(logits(), 0, config.vocabSize(), continuation[0]);
    run(continuation, true, scores);
    return scores;
  }

  /**
   * Discards cached tokens from {@code newPosition} on. Logits stay valid only if nothing was
   * discarded.
   */
  public void rollback(int newPosition) {
    if (newPosition < 0 || newPosition > position) {
      throw new IllegalArgumentException("cannot roll back to " + newPosition + ": session holds " + position + " tokens");
    }
    if (newPosition < position) {
      position = newPosition;
      logitsValid = false;
    }
  }

  /**
   * Keeps the longest cached prefix shared with {@code prompt}, leaving at least the last prompt
   * token to be processed so that fresh logits follow, and returns how many tokens were kept. The
   * caller then prefills {@code prompt[kept..]}.
   */
  public int reusePrefix(int[] prompt) {
    int limit = Math.min(position, prompt.length - 1);
    int same = 0;
    while (same < limit && tokens[same] == prompt[same]) {
      same++;
    }
    rollback(same);
    return same;
  }

  /**
   * Samples up to {@code maxTokens} tokens, appending each to the cache. Stops after a token in
   * {@code stopTokens} (which is returned but not appended) or when {@code sink} returns false.
   *
   * @return the number of tokens produced
   */
  public int generate(Sampler sampler, int maxTokens, Set<Integer> stopTokens, TokenSink sink) {
    boolean[] isStop = new boolean[config.vocabSize()]; // once per call: no boxing per token
    for (int t : stopTokens) {
      if (t >= 0 && t < isStop.length) {
        isStop[t] = true;
      }
    }
    int produced = 0;
    while (produced < maxTokens) {
      int token = sampler.sample(logits(), tokens, position);
      produced++;
      boolean stop = isStop[token];
      boolean more = sink.onToken(token);
      if (stop || !more || produced == maxTokens) {
        if (!stop && position < tokens.length) {
          decode(token);
        }
        break;
      }
      if (position == tokens.length) {
        break;
      }
      decode(token);
    }
    return produced;
  }

  /** Receives generated tokens. */
  @FunctionalInterface
  public interface TokenSink {
    /** Returns false to stop generating. */
    boolean onToken(int token);
  }

  private void run(int[] newTokens, boolean allLogits, float[] scores) {
    if (position + newTokens.length > tokens.length) {
      throw new ContextFullException(position, newTokens.length, tokens.length);
    }
    int vocab = config.vocabSize();
    for (int t : newTokens) {
      if (t < 0 || t >= vocab) {
        throw new IllegalArgumentException("token id " + t + " outside the vocabulary [0, " + vocab + ")");
      }
    }
    int done = 0;
    while (done < newTokens.length) {
      int n = Math.min(forward.batch, newTokens.length - done);
      float[] out = forward.forward(newTokens, done, n, position, allLogits);
      System.arraycopy(newTokens, done, tokens, position, n);
      position += n;
      if (scores != null) {
        for (int i = 0; i < n && done + i + 1 < newTokens.length; i++) {
          scores[done + i + 1] = logProbability(out, i * vocab, vocab, newTokens[done + i + 1]);
        }
      }
      System.arraycopy(out, allLogits ? (n - 1) * vocab : 0, logits, 0, vocab);
      done += n;
    }
    logitsValid = true;
  }

  /** Log-softmax of {@code values[offset .. offset + vocab)} at {@code token}. */
  static float logProbability(float[] values, int offset, int vocab, int token) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = offset; i < offset + vocab; i++) {
      max = Math.max(max, values[i]);
    }
    double sum = 0;
    for (int i = offset; i < offset + vocab; i++) {
      sum += Math.exp(values[i] - max);
    }
    return (float) (values[offset + token] - max - Math.log(sum));
  }

  @Override
  public void close() {
    forward.close();
  }
}

package dev.overture.lm;

/**
 * How a session is sized.
 *
 * @param contextLength KV cache capacity in tokens (at most the model's trained context)
 * @param batchSize tokens processed together during prefill (bounds memory; 32-64 is plenty)
 * @param threads threads that split each matrix product (1 = the caller only)
 */
public record SessionOptions(int contextLength, int batchSize, int threads) {
  public SessionOptions {
    if (contextLength < 1) {
      throw new IllegalArgumentException("contextLength must be positive, got " + contextLength);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
  }

  /** 2048 tokens of context, batches of 32, one thread. */
  public static SessionOptions defaults() {
    return new SessionOptions(2048, 32, 1);
  }

  public SessionOptions withContextLength(int contextLength) {
    return new SessionOptions(contextLength, batchSize, threads);
  }

  public SessionOptions withThreads(int threads) {
    return new SessionOptions(contextLength, batchSize, threads);
  }

  public SessionOptions withBatchSize(int batchSize) {
    return new SessionOptions(contextLength, batchSize, threads);
  }
}

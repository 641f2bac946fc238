package dev.overture.lm;

/**
 * How the next token is chosen. Filters apply in llama.cpp's order: repetition penalty, top-k,
 * top-p, min-p, then temperature.
 *
 * @param temperature 0 for greedy decoding, else the softmax temperature
 * @param topK keep the k most likely tokens (0 = all)
 * @param topP keep the smallest set whose probability reaches p (1 = off)
 * @param minP drop tokens less likely than minP times the most likely one (0 = off)
 * @param repetitionPenalty divide positive (multiply negative) logits of recent tokens (1 = off)
 * @param repetitionWindow how many recent tokens the penalty looks at
 * @param seed seed of the random generator, so that a run is reproducible
 */
public record SamplingConfig(float temperature, int topK, float topP, float minP, float repetitionPenalty, int repetitionWindow, long seed) {
  public SamplingConfig {
    if (!(temperature >= 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (!(minP >= 0 && minP < 1)) {
      throw new IllegalArgumentException("minP must be in [0, 1), got " + minP);
    }
    if (!(repetitionPenalty >= 1) || Float.isInfinite(repetitionPenalty)) {
      throw new IllegalArgumentException("repetitionPenalty must be finite and >= 1, got " + repetitionPenalty);
    }
    if (repetitionWindow < 0) {
      throw new IllegalArgumentException("repetitionWindow must be >= 0, got " + repetitionWindow);
    }
  }

  /** Always the most likely token. */
  public static SamplingConfig greedy() {
    return new SamplingConfig(0f, 0, 1f, 0f, 1f, 0, 0L);
  }

  /** Temperature sampling with top-k 40, top-p 0.95, min-p 0.05 and the given seed. */
  public static SamplingConfig sampled(float temperature, long seed) {
    return new SamplingConfig(temperature, 40, 0.95f, 0.05f, 1f, 64, seed);
  }

  public boolean isGreedy() {
    return temperature == 0f;
  }
}

package dev.overture.cloud.embedded;

/** Chooses each generated token from the logits: the sampler, or a script in tests. */
@FunctionalInterface
interface TokenPicker {

  /**
   * @param logits one score per vocabulary entry (not modified)
   * @param history the tokens so far, {@code history[0..length)}
   */
  int pick(float[] logits, int[] history, int length);
}

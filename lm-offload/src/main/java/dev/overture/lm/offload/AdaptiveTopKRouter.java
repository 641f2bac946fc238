package dev.overture.lm.offload;

import dev.overture.lm.ExpertRouter;

/**
 * Fewer experts for easy tokens ("harder tasks need more experts"): a token whose most probable
 * expert reaches {@code confidence} goes to that expert alone; the others get the model's k.
 */
public final class AdaptiveTopKRouter implements ExpertRouter {

  private final double confidence;

  public AdaptiveTopKRouter(double confidence) {
    if (!(confidence > 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1], got " + confidence);
    }
    this.confidence = confidence;
  }

  @Override
  public int route(int layer, float[] probabilities, int k, int[] chosen) {
    ExpertRouter.topK(probabilities, k, chosen);
    return probabilities[chosen[0]] >= confidence ? 1 : k;
  }
}

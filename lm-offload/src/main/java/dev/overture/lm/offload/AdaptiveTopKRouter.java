package dev.overture.lm.offload;

import dev.overture.lm.ExpertRouter;

/**
 * Fewer experts for easy tokens ("harder tasks need more experts", Huang et al., top-p routing): a
 * token goes to its most probable experts until their summed probability reaches {@code confidence},
 * at least one and at most the model's k. With top-2 that is one expert when the best reaches
 * {@code confidence}, else two; with fine-grained top-8 a confident token sheds its weakest experts.
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
    double mass = 0;
    for (int n = 1; n < k; n++) {
      mass += probabilities[chosen[n - 1]];
      if (mass >= confidence) {
        return n;
      }
    }
    return k;
  }
}

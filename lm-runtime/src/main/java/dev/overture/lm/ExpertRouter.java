package dev.overture.lm;

/**
 * Chooses the experts each token of a Mixture-of-Experts layer goes to, from the router's
 * probabilities: the seam where routing policies plug in (cache-aware routing, temporally stable
 * expert sets, fewer experts for confident tokens). The model's own routing is {@link #exact()}.
 *
 * <p>Called on the session's owner thread, token by token in position order within a layer; an
 * implementation may keep per-layer state (the previous token's set) and belongs to one session.
 */
public interface ExpertRouter {

  /**
   * Chooses the experts for one token.
   *
   * @param layer the MoE layer
   * @param probabilities the router's softmax over all experts (read only, valid during the call)
   * @param k the model's experts per token
   * @param chosen receives the chosen experts, distinct, most preferred first
   * @return how many were chosen: 1 to {@code k}
   */
  int route(int layer, float[] probabilities, int k, int[] chosen);

  /** The model's own routing: the {@code k} most probable experts. */
  static ExpertRouter exact() {
    return (layer, probabilities, k, chosen) -> topK(probabilities, k, chosen);
  }

  /** Writes the {@code k} most probable experts to {@code out}, most probable first; returns {@code k}. */
  static int topK(float[] probabilities, int k, int[] out) {
    for (int j = 0; j < k; j++) {
      int best = -1;
      for (int e = 0; e < probabilities.length; e++) {
        if (best < 0 || probabilities[e] > probabilities[best]) {
          boolean taken = false;
          for (int i = 0; i < j && !taken; i++) {
            taken = out[i] == e;
          }
          if (!taken) {
            best = e;
          }
        }
      }
      out[j] = best;
    }
    return k;
  }
}

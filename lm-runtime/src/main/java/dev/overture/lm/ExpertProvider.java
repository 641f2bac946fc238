package dev.overture.lm;

/**
 * Hands expert weights to the Mixture-of-Experts layers during a forward pass: the seam where the
 * cloud's expert offloading plugs in.
 *
 * <p>Called from the session's owner thread; an implementation shared by several sessions must be
 * thread-safe. The returned weights must stay valid until the forward pass that asked for them
 * returns.
 */
public interface ExpertProvider {
  /** Returns the weights of {@code expert} in {@code layer}, loading them if needed. */
  ExpertWeights expert(int layer, int expert);

  /**
   * Told which experts a layer routed to for the current tokens, before they are requested, so a
   * provider can start loading them. {@code experts[0..count)} are valid only during the call.
   */
  default void willUse(int layer, int[] experts, int count) {}

  /**
   * Whether the provider wants {@link #predicted} calls: a cross-layer prefetcher. They cost one
   * router product per MoE layer per token.
   */
  default boolean predictsNextLayer() {
    return false;
  }

  /**
   * The probabilities {@code layer}'s router gives one token when applied to the previous layer's
   * MoE input: a prediction of which {@code k} experts {@code layer} will ask for, one layer ahead.
   * The array is valid only during the call.
   */
  default void predicted(int layer, float[] probabilities, int k) {}

  /** Decodes every expert up front and keeps all of them: no offloading. */
  static ExpertProvider resident(ExpertSource source) {
    ExpertWeights[][] all = new ExpertWeights[source.layers()][source.expertsPerLayer()];
    for (int l = 0; l < all.length; l++) {
      for (int e = 0; e < all[l].length; e++) {
        all[l][e] = source.decode(l, e);
      }
    }
    return (layer, expert) -> all[layer][expert];
  }
}

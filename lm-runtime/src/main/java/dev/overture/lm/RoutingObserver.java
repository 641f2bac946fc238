package dev.overture.lm;

/**
 * Receives the router's decisions of every MoE layer for every token, for routing traces and
 * offloading studies.
 *
 * <p>Called on the session's owner thread, in position order within a layer. The arrays are
 * reused: copy what you keep.
 */
public interface RoutingObserver {
  /**
   * @param layer the MoE layer
   * @param position the token's position in the context
   * @param experts the chosen experts, best first ({@code expert_used_count} entries; -1 in slots
   *     an adaptive {@link ExpertRouter} left empty)
   * @param weights the mixing weight of each chosen expert
   * @param probabilities the router's softmax over all experts
   */
  void onRouting(int layer, int position, int[] experts, float[] weights, float[] probabilities);
}

/**
 * Expert offloading for the Mixture-of-Experts layers of {@code lm-runtime}, for the cloud: only a
 * budget of experts stays resident ({@link dev.overture.lm.offload.ExpertBudget}), the rest is
 * loaded from the model file when the router picks it ({@link dev.overture.lm.offload.ExpertCache}),
 * and routing traces ({@link dev.overture.lm.offload.RoutingTrace}) replay offline through any
 * replacement policy, Belady's optimum included ({@link dev.overture.lm.offload.CacheSimulator}).
 * docs/offloading.md explains the mechanisms and the measurements.
 */
package dev.overture.lm.offload;

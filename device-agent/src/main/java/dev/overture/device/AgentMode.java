package dev.overture.device;

/** How the agent splits a reply between the device and the cloud. */
public enum AgentMode {
  /**
   * The default: the micro model speaks an opener at once and the cloud continues it; the device
   * completes the sentence itself when the cloud is late.
   */
  SPLIT,
  /** No opener: every word comes from the cloud (a baseline to compare the split with). */
  CLOUD_ONLY,
  /** No cloud: the micro model answers alone, one sentence per turn. */
  DEVICE_ONLY
}

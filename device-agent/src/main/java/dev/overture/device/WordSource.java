package dev.overture.device;

/** Which model produced a word of the reply. */
public enum WordSource {
  /** The micro model on the device: the opener, or a local completion after a fallback. */
  DEVICE,
  /** The cloud model's continuation, repairs included. */
  CLOUD
}

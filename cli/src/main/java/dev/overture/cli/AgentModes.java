package dev.overture.cli;

import dev.overture.device.AgentMode;
import java.util.Locale;

/** The {@code --mode} values of the agent commands. */
final class AgentModes {

  private AgentModes() {}

  static AgentMode parse(String mode) {
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "split":
        return AgentMode.SPLIT;
      case "cloud-only":
        return AgentMode.CLOUD_ONLY;
      case "device-only":
        return AgentMode.DEVICE_ONLY;
      default:
        throw new IllegalArgumentException("--mode must be split, cloud-only or device-only, not '" + mode + "'");
    }
  }
}

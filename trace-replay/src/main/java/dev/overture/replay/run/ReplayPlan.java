package dev.overture.replay.run;

import dev.overture.replay.network.NetworkProfile;
import dev.overture.replay.trace.TraceConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one replay run does.
 *
 * @param trace the conversations, replayed once per mode and profile
 * @param modes {@code split}, {@code cloud-only}, {@code device-only}, {@code openai}
 * @param profiles the networks between the devices and the service, one run each
 * @param load how conversations arrive
 * @param speechRate words per second of the simulated voice
 * @param micro the device model
 * @param moe the in-process service's model (when {@code cloudUrl} is null)
 * @param cloudUrl a running service on loopback, or null to start one in this process
 * @param apiKey its API key
 * @param minWordLogprob the in-process service's verdict threshold
 * @param openAiUrl the OpenAI-compatible server for mode {@code openai} (loopback), or null for the
 *     service's own {@code /v1/chat/completions}
 * @param openAiModel the model name to ask that server for
 * @param openAiKey its API key, or null
 * @param maxDuration no conversation starts after this (per mode and profile), so a run always ends
 * @param seed for the network's randomness
 * @param timelines how many turns per mode and profile keep their timeline for the report
 */
public record ReplayPlan(
    List<TraceConversation> trace,
    List<String> modes,
    List<NetworkProfile> profiles,
    Load load,
    double speechRate,
    Path micro,
    Path moe,
    String cloudUrl,
    String apiKey,
    double minWordLogprob,
    String openAiUrl,
    String openAiModel,
    String openAiKey,
    Duration maxDuration,
    long seed,
    int timelines) {

  public static final List<String> MODES = List.of("split", "cloud-only", "device-only", "openai");

  public ReplayPlan {
    trace = List.copyOf(trace);
    modes = List.copyOf(modes);
    profiles = List.copyOf(profiles);
    for (String mode : modes) {
      if (!MODES.contains(mode)) {
        throw new IllegalArgumentException("unknown mode '" + mode + "': use " + String.join(", ", MODES));
      }
    }
    if (trace.isEmpty() || modes.isEmpty() || profiles.isEmpty()) {
      throw new IllegalArgumentException("a replay needs conversations, modes and network profiles");
    }
  }

  /** Turns one mode and profile replays. */
  public int turnsPerRun() {
    int turns = 0;
    for (TraceConversation c : trace) {
      turns += c.turns().size();
    }
    return turns;
  }
}

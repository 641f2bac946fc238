package dev.overture.cli;

import dev.overture.cli.agent.AgentSetup;
import dev.overture.lm.BundledModels;
import dev.overture.replay.network.NetworkProxy;
import dev.overture.cloud.LocalCloudService;
import dev.overture.cli.agent.TurnRecorder;
import dev.overture.cli.agent.TurnReport;
import dev.overture.device.AgentMode;
import dev.overture.device.TurnResult;
import dev.overture.device.opener.OpenerPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code overture demo}: the cloud service in-process on the bundled MoE, the device agent on the
 * bundled micro model, and a short scripted conversation that shows every part of the split: the
 * instant opener, the cloud's verdict, the seamless continuation, a follow-up, a barge-in and a
 * local fallback when the cloud is late. Prints a timeline per turn and a summary table.
 */
@Command(
    name = "demo",
    header = "A scripted demo conversation on the bundled models (~1 min).",
    mixinStandardHelpOptions = true,
    description = {
      "A demo conversation on the bundled models: the cloud service runs in this process (bundled MoE) behind "
          + "an emulated network, the device agent on the bundled micro model. Scripted turns show the instant opener, "
          + "the cloud's verdict, the seam, a follow-up, a barge-in and a local fallback. About a minute on 2 cores."
    })
final class DemoCommand implements Callable<Integer> {

  /** One scripted user turn. */
  private record Step(String text, String why, boolean newConversation, int bargeInAfterWords, long roundTripMillis) {}

  @Option(names = "--micro", description = "The device model (default: ${DEFAULT-VALUE}).")
  Path micro = BundledModels.path(BundledModels.MICRO);

  @Option(names = "--moe", description = "The cloud model (default: ${DEFAULT-VALUE}).")
  Path moe = BundledModels.path(BundledModels.MOE);

  @Option(names = "--speech-rate", description = "Words per second the simulated voice speaks (default: ${DEFAULT-VALUE}).")
  double speechRate = 3.0;

  @Option(names = "--rtt", description = "Network round trip to the cloud in ms, emulated on loopback (default: ${DEFAULT-VALUE}).")
  long rttMillis = 150;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    for (Path model : List.of(micro, moe)) {
      if (!Files.isRegularFile(model)) {
        throw new java.nio.file.NoSuchFileException(model + " (run the demo from the repository root)");
      }
    }
    List<Step> script = List.of(
        new Step("What does it mean to run?", "a word both models were taught", true, -1, rttMillis),
        new Step("What is a city?", "another word both know", true, -1, rttMillis),
        new Step("What is a sphere?", "a word only the cloud model knows: the device names it, the cloud says what it is", true, -1, rttMillis),
        new Step("What is a theremin?", "a word neither model knows: the cloud's verdict rewinds what it cannot vouch for, and its own words are wrong", true, -1, rttMillis),
        new Step("What is a family?", "a follow-up, first turn", true, -1, rttMillis),
        new Step("And what is it a kind of?", "a follow-up, second turn: the bundled models answer follow-ups far worse than questions asked alone", false, -1, rttMillis),
        new Step("What does it mean to know?", "a barge-in: the user talks over the reply after 5 words", true, 5, rttMillis),
        new Step("What is a country?", "the cloud is late (6 s round trip): the device completes the sentence", true, -1, 6_000));

    out.println("Overture demo: a micro model on the device speaks the first words at once; a Mixture-of-Experts model");
    out.println("in the cloud continues the sentence where the device stopped.");
    out.println();
    out.println("About the bundled models, honestly: both are tiny and were trained here on WordNet definitions and short");
    out.println("conversations about them. The micro (6.5M parameters) knows the 500 most familiar words, the MoE (33.8M)");
    out.println("1,500; for any other word the micro's opener repeats the word asked about (more than 9 times in 10) and leaves");
    out.println("the facts to the cloud. What the demo shows is the mechanism: timing, the verdict, the seam, barge-in and");
    out.println("fallback. Any Llama-style GGUF can replace them.");
    out.println();

    long t0 = System.nanoTime();
    out.print("[1/3] loading the cloud service with " + moe.getFileName() + " ... ");
    out.flush();
    try (LocalCloudService cloud = LocalCloudService.start(Map.of("overture.embedded.model-path", moe.toString()), null)) {
      out.printf(Locale.ROOT, "ready on port %d (%.1f s)%n", cloud.port(), (System.nanoTime() - t0) / 1e9);
      out.print("[2/3] emulating the network: round trip " + rttMillis + " ms ... ");
      try (NetworkProxy link = NetworkProxy.delaying(cloud.port(), rttMillis)) {
        out.println("ready");
        long t1 = System.nanoTime();
        out.print("[3/3] loading the device agent with " + micro.getFileName() + " ... ");
        out.flush();
        TurnRecorder recorder = new TurnRecorder(null);
        try (AgentSetup setup = new AgentSetup(micro, "http://127.0.0.1:" + link.port(), cloud.apiKey(), AgentMode.SPLIT,
            speechRate, 4.0, Duration.ofMillis(300), OpenerPolicy.defaults(), recorder)) {
          setup.warmUp("What is a word?");
          out.printf(Locale.ROOT, "ready (%.1f s, one hidden turn warmed up both models); speech at %.1f words/s%n", (System.nanoTime() - t1) / 1e9, speechRate);
          out.println("Each question opens a new conversation, except the follow-up.");
          List<String> labels = new ArrayList<>();
          List<TurnResult> results = new ArrayList<>();
          for (int i = 0; i < script.size(); i++) {
            Step step = script.get(i);
            if (step.newConversation() && i > 0) {
              setup.newConversation();
            }
            link.roundTrip(step.roundTripMillis());
            out.println();
            out.printf(Locale.ROOT, "Turn %d: %s%n", i + 1, step.why());
            out.println("  you: " + step.text());
            TurnResult result = setup.say(step.text(), step.bargeInAfterWords());
            TurnReport.timeline(out, result, recorder);
            if (step.bargeInAfterWords() >= 0) {
              List<dev.overture.protocol.HistoryItem> history = setup.conversation().history();
              out.println("    barge-in      the user spoke after " + setup.speaker().wordsHeard() + " words were heard"
                  + (result.status() == dev.overture.device.TurnStatus.CANCELLED ? "" : " (the whole reply had arrived already)")
                  + "; the history on both sides keeps");
              out.println("                  \"" + history.get(history.size() - 1).text() + "\"");
            }
            labels.add(step.text());
            results.add(result);
          }
          TurnReport.summary(out, labels, results);
        }
      }
    }
    out.printf(Locale.ROOT, "%ndemo finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}

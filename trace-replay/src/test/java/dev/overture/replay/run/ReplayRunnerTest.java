package dev.overture.replay.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.replay.metrics.ReplaySummary;
import dev.overture.replay.network.NetworkProfile;
import dev.overture.replay.report.HtmlReport;
import dev.overture.replay.report.JsonReport;
import dev.overture.replay.sample.SpeechTiming;
import dev.overture.replay.trace.TraceConversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole replay: the real service in-process, real agents, the proxy, and the reports. */
class ReplayRunnerTest {

  @TempDir Path dir;

  @Test
  void replayMeasuresEveryModeAndWritesTheReports() throws Exception {
    SpeechTiming timing = new SpeechTiming(5);
    List<TraceConversation> trace = List.of(TraceConversation.of("c1", 0, "test",
        List.of(timing.turn("What does it mean to run?", "move fast by using one's feet", null))));
    List<String> modes = List.of("split", "cloud-only", "device-only");
    ReplayPlan plan = new ReplayPlan(trace, modes, List.of(NetworkProfile.roundTrip(40)), new Load.Closed(1), 20,
        Path.of("models/overture-micro-q8_0.gguf"), Path.of("models/overture-moe-q8_0.gguf"), null, null, -4, null,
        "overture-moe-q8_0", null, Duration.ofMinutes(2), 1, 8);

    List<TurnSample> samples = new ReplayRunner(plan).run(false);

    assertEquals(3, samples.size());
    ReplaySummary summary = new ReplaySummary(samples, List.of("rtt40"), modes);
    for (String mode : modes) {
      TurnSample s = summary.cell("rtt40", mode).samples.get(0);
      assertTrue(s.firstWordMs() >= 0, mode + ": " + s);
      assertEquals(0, s.repeatedWords(), mode + " repeated words: " + s);
      assertEquals(0, s.droppedWords(), mode + " dropped words: " + s);
      assertNotNull(s.f1(), mode);
    }
    assertEquals("websocket", summary.cell("rtt40", "split").samples.get(0).transport());
    assertNotNull(summary.cell("rtt40", "cloud-only").samples.get(0).cloudTtftMs());
    Path json = dir.resolve("summary.json");
    Path html = dir.resolve("report.html");
    JsonReport.write(json, summary, Map.of("test", true));
    HtmlReport.write(html, summary, Map.of("test", true), 20);
    assertTrue(Files.readString(json).contains("\"first_word_ms\""));
    assertTrue(Files.readString(html).contains("data:image/png;base64,"));
  }

  @Test
  void cloudOffThisMachineIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayRunner.loopbackPort("http://10.0.0.5:8080", "--cloud"));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
  }
}

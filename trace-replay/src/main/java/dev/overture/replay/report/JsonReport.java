package dev.overture.replay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.overture.replay.metrics.Distribution;
import dev.overture.replay.metrics.ReplaySummary;
import dev.overture.replay.run.TurnSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The run as JSON: the summary per network and mode, then every turn's sample. */
public final class JsonReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static void write(Path file, ReplaySummary summary, Map<String, Object> run) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.set("run", JSON.valueToTree(run));
    ArrayNode cells = root.putArray("summary");
    for (ReplaySummary.Cell c : summary.cells()) {
      if (c.turns == 0) {
        continue;
      }
      ObjectNode cell = cells.addObject();
      cell.put("network", c.profile).put("mode", c.mode).put("turns", c.turns);
      put(cell, "first_word_ms", c.firstWord);
      put(cell, "seam_dead_air_ms", c.seam);
      cell.put("seams_with_dead_air", c.seams);
      cell.put("stalls", c.stalls);
      put(cell, "stall_ms", c.stallLength);
      cell.put("repeated_words", c.repeatedWords).put("dropped_words", c.droppedWords);
      put(cell, "barge_in_yield_ms", c.bargeInYield);
      put(cell, "cloud_ttft_ms", c.cloudTtft);
      cell.put("cloud_tokens_per_second", nullable(c.meanTokensPerSecond()));
      cell.put("accepts", c.accepts).put("rewinds", c.rewinds).put("repairs", c.repairs);
      cell.put("local_fallbacks", c.fallbacks).put("errors", c.errors);
      cell.put("f1", nullable(c.meanF1()));
    }
    ArrayNode turns = root.putArray("turns");
    for (ReplaySummary.Cell c : summary.cells()) {
      for (TurnSample s : c.samples) {
        turns.add(JSON.valueToTree(s));
      }
    }
    JSON.writeValue(file.toFile(), root);
  }

  private static void put(ObjectNode node, String name, Distribution d) {
    Distribution.Percentiles p = d.percentiles();
    ObjectNode o = node.putObject(name);
    o.put("count", p.count());
    o.put("p50", nullable(p.p50())).put("p90", nullable(p.p90())).put("p99", nullable(p.p99())).put("max", nullable(p.max()));
  }

  private static Double nullable(double v) {
    return Double.isNaN(v) ? null : v;
  }
}

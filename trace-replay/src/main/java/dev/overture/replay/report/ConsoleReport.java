package dev.overture.replay.report;

import dev.overture.replay.metrics.Distribution.Percentiles;
import dev.overture.replay.metrics.ReplaySummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The console table of a run, and the split's headline against cloud-only. */
public final class ConsoleReport {

  private ConsoleReport() {}

  public static void print(PrintStream out, ReplaySummary summary) {
    out.printf(Locale.ROOT, "%-10s %-11s %5s  %-27s %-21s %6s %-13s %5s %-9s %-15s %9s %6s %5s %5s%n",
        "network", "mode", "turns", "first word p50/p90/p99/max", "seam p50/p99/max", "dead", "stalls (avg)", "rep/drop",
        "yield p99", "cloud ttft p50/99", "tok/s", "a/rw/rp", "local", "F1");
    for (ReplaySummary.Cell c : summary.cells()) {
      if (c.turns == 0) {
        continue;
      }
      Percentiles fw = c.firstWord.percentiles();
      Percentiles seam = c.seam.percentiles();
      Percentiles ttft = c.cloudTtft.percentiles();
      Percentiles yield = c.bargeInYield.percentiles();
      out.printf(Locale.ROOT, "%-10s %-11s %5d  %-27s %-21s %6s %-13s %5s %-9s %-15s %9s %6s %5d %5s%n",
          c.profile, c.mode, c.turns,
          String.format(Locale.ROOT, "%.0f/%.0f/%.0f/%.0f", fw.p50(), fw.p90(), fw.p99(), fw.max()),
          seam.count() == 0 ? "-" : String.format(Locale.ROOT, "%.0f/%.0f/%.0f", seam.p50(), seam.p99(), seam.max()),
          seam.count() == 0 ? "-" : c.seams + "/" + seam.count(),
          c.stalls + (c.stalls == 0 ? "" : String.format(Locale.ROOT, " (%.0f ms)", c.stallLength.percentiles().mean())),
          c.repeatedWords + "/" + c.droppedWords,
          yield.count() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", yield.p99()),
          ttft.count() == 0 ? "-" : String.format(Locale.ROOT, "%.0f/%.0f", ttft.p50(), ttft.p99()),
          Double.isNaN(c.meanTokensPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", c.meanTokensPerSecond()),
          c.accepts + "/" + c.rewinds + "/" + c.repairs, c.fallbacks,
          Double.isNaN(c.meanF1()) ? "-" : String.format(Locale.ROOT, "%.1f", c.meanF1()));
    }
    headline(out, summary);
  }

  /** Split against cloud-only at each network, and the worst network the split still hides. */
  static void headline(PrintStream out, ReplaySummary summary) {
    Set<String> profiles = new LinkedHashSet<>();
    for (ReplaySummary.Cell c : summary.cells()) {
      profiles.add(c.profile);
    }
    List<String> lines = new ArrayList<>();
    String lastSeamless = null;
    for (String profile : profiles) {
      ReplaySummary.Cell split = summary.cell(profile, "split");
      ReplaySummary.Cell cloud = summary.cell(profile, "cloud-only");
      if (split == null || split.turns == 0) {
        continue;
      }
      Percentiles s = split.firstWord.percentiles();
      if (cloud != null && cloud.turns > 0) {
        Percentiles c = cloud.firstWord.percentiles();
        lines.add(String.format(Locale.ROOT, "  %-10s split %.0f ms, cloud-only %.0f ms: ratio %.3f (p50); p99 %.0f vs %.0f ms",
            profile, s.p50(), c.p50(), s.p50() / c.p50(), s.p99(), c.p99()));
      }
      if (split.seam.count() > 0 && split.seam.percentiles().p99() == 0) {
        lastSeamless = profile;
      }
    }
    if (!lines.isEmpty()) {
      out.println();
      out.println("First word, split against cloud-only:");
      lines.forEach(out::println);
    }
    if (lastSeamless != null) {
      out.println("Last network (in run order) at which the split had no dead air at the seam at p99: " + lastSeamless);
    }
  }
}

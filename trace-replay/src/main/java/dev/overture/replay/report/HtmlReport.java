package dev.overture.replay.report;

import dev.overture.replay.metrics.Distribution;
import dev.overture.replay.metrics.ReplaySummary;
import dev.overture.replay.run.TimelineEvent;
import dev.overture.replay.run.TurnSample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A self-contained HTML report that opens offline: the summary table, latency CDFs per network
 * (one curve per mode), the seam's dead air, first word against the network, and a timeline of
 * sample turns. Charts are drawn with XChart and embedded as PNG data.
 */
public final class HtmlReport {

  private static final Color DEVICE = new Color(0x1f77b4);
  private static final Color CLOUD = new Color(0xff7f0e);

  private HtmlReport() {}

  public static void write(Path file, ReplaySummary summary, Map<String, Object> run, double speechRate) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Set<String> profiles = new LinkedHashSet<>();
    Set<String> modes = new LinkedHashSet<>();
    for (ReplaySummary.Cell c : summary.cells()) {
      if (c.turns > 0) {
        profiles.add(c.profile);
        modes.add(c.mode);
      }
    }
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Overture replay</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:13px}")
        .append("td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f3f3f3}td.l{text-align:left}")
        .append("img{max-width:100%}code{background:#f3f3f3;padding:1px 4px}</style></head><body>")
        .append("<h1>Overture latency replay</h1><p>");
    for (Map.Entry<String, Object> e : run.entrySet()) {
      html.append("<b>").append(escape(e.getKey())).append("</b>: ").append(escape(String.valueOf(e.getValue()))).append("<br>");
    }
    html.append("</p><p>Times in milliseconds. First word: end of speech to the first word playing. Seam: dead air between the "
        + "opener's last word and the cloud's first. Definitions: docs/latency-testing.md.</p>");
    table(html, summary);
    html.append("<h2>First word against the network</h2>").append(image(firstWordByProfile(summary, profiles, modes)));
    for (String profile : profiles) {
      html.append("<h2>First word CDF, ").append(escape(profile)).append("</h2>")
          .append(image(cdf("First word, " + profile, summary, profile, modes)));
    }
    html.append("<h2>Dead air at the seam (split)</h2>").append(image(seamCdf(summary, profiles)));
    for (String profile : profiles) {
      ReplaySummary.Cell split = summary.cell(profile, "split");
      if (split != null) {
        List<TurnSample> withTimeline = new ArrayList<>();
        for (TurnSample s : split.samples) {
          if (s.timeline() != null && !s.timeline().isEmpty()) {
            withTimeline.add(s);
          }
        }
        if (!withTimeline.isEmpty()) {
          html.append("<h2>Sample turns, split, ").append(escape(profile)).append("</h2>")
              .append("<p>Each row a turn: a dot when a word was released, a bar while it plays; blue device, orange cloud.</p>")
              .append(image(timeline(profile, withTimeline.subList(0, Math.min(8, withTimeline.size())), speechRate)));
        }
      }
    }
    html.append("</body></html>\n");
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  private static void table(StringBuilder html, ReplaySummary summary) {
    html.append("<table><tr><th>network</th><th>mode</th><th>turns</th><th>first word p50</th><th>p90</th><th>p99</th><th>max</th>")
        .append("<th>seam dead air p99</th><th>seams with dead air</th><th>stalls</th><th>repeated / dropped</th>")
        .append("<th>cloud ttft p50</th><th>accept / rewind / repair</th><th>local</th><th>errors</th><th>F1</th></tr>");
    for (ReplaySummary.Cell c : summary.cells()) {
      if (c.turns == 0) {
        continue;
      }
      Distribution.Percentiles fw = c.firstWord.percentiles();
      html.append("<tr><td class=l>").append(escape(c.profile)).append("</td><td class=l>").append(escape(c.mode)).append("</td>")
          .append(td(c.turns)).append(td(fw.p50())).append(td(fw.p90())).append(td(fw.p99())).append(td(fw.max()))
          .append(td(c.seam.count() == 0 ? Double.NaN : c.seam.percentiles().p99()))
          .append(td(c.seam.count() == 0 ? "-" : c.seams + " / " + c.seam.count())).append(td(c.stalls))
          .append(td(c.repeatedWords + " / " + c.droppedWords)).append(td(c.cloudTtft.percentiles().p50()))
          .append(td(c.accepts + " / " + c.rewinds + " / " + c.repairs)).append(td(c.fallbacks)).append(td(c.errors))
          .append(td(c.meanF1())).append("</tr>");
    }
    html.append("</table>");
  }

  private static XYChart cdf(String title, ReplaySummary summary, String profile, Set<String> modes) {
    XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle("ms from end of speech").yAxisTitle("share of turns").build();
    chart.getStyler().setMarkerSize(0);
    for (String mode : modes) {
      ReplaySummary.Cell c = summary.cell(profile, mode);
      if (c != null && c.firstWord.count() > 0) {
        double[][] xy = c.firstWord.cdf(100);
        chart.addSeries(mode, xy[0], xy[1]);
      }
    }
    return chart;
  }

  private static XYChart seamCdf(ReplaySummary summary, Set<String> profiles) {
    XYChart chart = new XYChartBuilder().width(900).height(420).title("Dead air at the seam (0: the cloud word came in time)")
        .xAxisTitle("ms").yAxisTitle("share of split turns").build();
    chart.getStyler().setMarkerSize(0);
    for (String profile : profiles) {
      ReplaySummary.Cell c = summary.cell(profile, "split");
      if (c != null && c.seam.count() > 0) {
        double[][] xy = c.seam.cdf(100);
        chart.addSeries(profile, xy[0], xy[1]);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("no split turns", new double[] {0}, new double[] {0});
    }
    return chart;
  }

  private static CategoryChart firstWordByProfile(ReplaySummary summary, Set<String> profiles, Set<String> modes) {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(420).title("First word p50 by network")
        .xAxisTitle("network").yAxisTitle("ms").build();
    for (String mode : modes) {
      List<String> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (String profile : profiles) {
        ReplaySummary.Cell c = summary.cell(profile, mode);
        if (c != null && c.firstWord.count() > 0) {
          x.add(profile);
          y.add(c.firstWord.percentiles().p50());
        }
      }
      if (!x.isEmpty()) {
        chart.addSeries(mode, x, y);
      }
    }
    return chart;
  }

  private static XYChart timeline(String profile, List<TurnSample> turns, double speechRate) {
    XYChart chart = new XYChartBuilder().width(1000).height(80 + 45 * turns.size()).title("Timeline, " + profile)
        .xAxisTitle("ms from end of speech").yAxisTitle("turn").build();
    chart.getStyler().setLegendVisible(true);
    double wordMs = 1000 / speechRate;
    boolean[] legend = {false, false, false};
    for (int row = 0; row < turns.size(); row++) {
      double y = turns.size() - row;
      for (TimelineEvent e : turns.get(row).timeline()) {
        boolean device = e.source().equals("device");
        Color color = device ? DEVICE : CLOUD;
        if (e.playedMs() != null) {
          String name = device ? "device word playing" : "cloud word playing";
          int k = device ? 0 : 1;
          XYSeries bar = chart.addSeries(name + " " + row + " " + e.releasedMs() + " " + e.text().hashCode(),
              new double[] {e.playedMs(), e.playedMs() + wordMs * 0.9}, new double[] {y, y});
          bar.setLineColor(color);
          bar.setLineStyle(new BasicStroke(8f));
          bar.setMarker(SeriesMarkers.NONE);
          bar.setShowInLegend(!legend[k]);
          if (!legend[k]) {
            bar.setLabel(name);
          }
          legend[k] = true;
        }
        XYSeries dot = chart.addSeries("released " + row + " " + e.releasedMs() + " " + e.text().hashCode() + (device ? "d" : "c"),
            new double[] {e.releasedMs()}, new double[] {y + 0.25});
        dot.setMarker(SeriesMarkers.CIRCLE);
        dot.setMarkerColor(color);
        dot.setLineColor(color);
        dot.setShowInLegend(!legend[2]);
        if (!legend[2]) {
          dot.setLabel("word released");
        }
        legend[2] = true;
      }
    }
    return chart;
  }

  private static String image(Chart<?, ?> chart) throws IOException {
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    return "<p><img alt=\"chart\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"></p>";
  }

  private static String td(Object value) {
    String text = value instanceof Double d ? (Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.0f", d)) : String.valueOf(value);
    return "<td>" + escape(text) + "</td>";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

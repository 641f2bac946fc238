package dev.overture.cli.agent;

import dev.overture.device.TurnMetrics;
import dev.overture.device.TurnResult;
import dev.overture.device.Verdict;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints a turn's timeline and the summary table of {@code demo} and {@code chat}. */
public final class TurnReport {

  private TurnReport() {}

  public static void timeline(PrintStream out, TurnResult result, TurnRecorder recorder) {
    TurnMetrics m = result.metrics();
    if (m.firstWordNanos() >= 0) {
      String how = m.speculativeHit()
          ? "opener drafted while the user spoke, reused as is"
          : m.prefillTokensAtEnd() + (m.prefillTokensAtEnd() == 1 ? " prompt token" : " prompt tokens") + " left to prefill at end of speech";
      out.printf(Locale.ROOT, "    first word    %s  (%s)%n", ms(m.firstWordNanos()), how);
    } else {
      out.println("    first word    none");
    }
    if (m.openerWords() > 0) {
      out.printf(Locale.ROOT, "    opener        %d words (aimed for %d: covers an expected cloud latency of %s)%n",
          m.openerWords(), m.openerTargetWords(), ms(m.expectedCloudNanos()));
    }
    out.println("    verdict       " + verdict(m));
    if (m.firstCloudWordNanos() >= 0) {
      out.printf(Locale.ROOT, "    cloud         first word %s (%s after the commit)%n", ms(m.firstCloudWordNanos()), ms(m.commitToFirstCloudWordNanos()));
      out.println("    seam          " + (m.seamNanos() < 0 ? "n/a" : m.seamNanos() == 0 ? "none: the cloud's first word came before the opener finished playing" : ms(m.seamNanos()) + " of dead air"));
    } else if (m.openerWords() > 0 && m.mode() != dev.overture.device.AgentMode.DEVICE_ONLY) {
      out.println("    cloud         no word in time");
    }
    for (String note : recorder.notes()) {
      out.println("    note          " + note);
    }
    if (m.fallback() != null) {
      out.println("    fallback      " + m.fallback() + ": the device completed the sentence");
    }
    out.println("    reply         " + recorder.markedReply().trim());
    out.printf(Locale.ROOT, "    status        %s   (%d %s from the device, %d from the cloud%s)%n",
        result.status().name().toLowerCase(Locale.ROOT), m.deviceWords(), m.deviceWords() == 1 ? "word" : "words", m.cloudWords(),
        m.deviceWords() > 0 && m.cloudWords() > 0 ? "; \u2016 marks the seam" : "");
  }

  public static void summary(PrintStream out, List<String> labels, List<TurnResult> results) {
    out.println();
    out.printf(Locale.ROOT, "%-4s %-34s %9s %6s %-8s %11s %9s %-9s%n", "turn", "question", "1st word", "opener", "verdict", "cloud word", "seam", "status");
    for (int i = 0; i < results.size(); i++) {
      TurnMetrics m = results.get(i).metrics();
      String label = labels.get(i);
      out.printf(Locale.ROOT, "%-4d %-34s %9s %6s %-8s %11s %9s %-9s%n",
          i + 1,
          label.length() > 34 ? label.substring(0, 31) + "..." : label,
          ms(m.firstWordNanos()),
          m.openerWords(),
          m.verdict().name().toLowerCase(Locale.ROOT),
          ms(m.firstCloudWordNanos()),
          m.seamNanos() < 0 ? "-" : ms(m.seamNanos()),
          results.get(i).status().name().toLowerCase(Locale.ROOT));
    }
  }

  private static String verdict(TurnMetrics m) {
    if (m.verdict() == Verdict.NONE) {
      return m.openerWords() == 0 ? "none (no opener)" : "none";
    }
    switch (m.verdict()) {
      case ACCEPT:
        return "accept: the cloud keeps all " + m.openerWords() + " words";
      case REWIND:
        return "rewind: the cloud keeps " + m.keptOpenerWords() + " of " + m.openerWords() + " words (the rest was not spoken yet)";
      default:
        return "repair: a wrong word was heard; the cloud corrects it aloud after word " + m.keptOpenerWords();
    }
  }

  static String ms(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
  }
}

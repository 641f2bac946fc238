package dev.overture.cli.agent;

import dev.overture.device.AgentException;
import dev.overture.device.AgentListener;
import dev.overture.device.RepairStart;
import dev.overture.device.ReplyWord;
import dev.overture.device.Rewind;
import dev.overture.device.WordSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps what the agent said in the current turn, for the timelines of {@code demo} and {@code
 * chat}; with a live stream it also prints each word as it is released, with its source and time,
 * and marks the seam between the device's words and the cloud's.
 */
public final class TurnRecorder implements AgentListener {

  private final PrintStream live;
  private final List<ReplyWord> words = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<AgentException> errors = new ArrayList<>();
  private WordSource lastSource;

  /** @param live where to print words as they come, or null for none */
  public TurnRecorder(PrintStream live) {
    this.live = live;
  }

  public synchronized void newTurn() {
    words.clear();
    notes.clear();
    errors.clear();
    lastSource = null;
  }

  /** The reply as delivered, with {@code ‖} where the source changes (device to cloud or back). */
  public synchronized String markedReply() {
    StringBuilder text = new StringBuilder();
    WordSource previous = null;
    for (ReplyWord word : words) {
      if (previous != null && word.source() != previous) {
        text.append(" \u2016");
      }
      text.append(word.text());
      previous = word.source();
    }
    return text.toString();
  }

  public synchronized List<String> notes() {
    return new ArrayList<>(notes);
  }

  public synchronized List<AgentException> errors() {
    return new ArrayList<>(errors);
  }

  @Override
  public synchronized void onWord(ReplyWord word) {
    if (word.redelivered()) {
      return;
    }
    if (live != null) {
      if (lastSource == WordSource.DEVICE && word.source() == WordSource.CLOUD) {
        live.println("           \u2500\u2500 seam: the cloud continues \u2500\u2500");
      } else if (lastSource == WordSource.CLOUD && word.source() == WordSource.DEVICE) {
        live.println("           \u2500\u2500 the device completes the sentence \u2500\u2500");
      }
      live.printf(Locale.ROOT, "  %+7.1f ms  %-6s %s%n", word.sinceEndOfSpeechNanos() / 1e6, word.source().name().toLowerCase(Locale.ROOT), word.text());
    }
    lastSource = word.source();
    words.add(word);
  }

  @Override
  public synchronized void onRewind(Rewind rewind) {
    words.removeIf(w -> w.index() >= rewind.keptWords());
    String note = "the cloud rewound the opener to " + rewind.keptWords() + (rewind.keptWords() == 1 ? " word" : " words");
    notes.add(note);
    if (live != null) {
      live.println("           \u21b6 " + note);
    }
  }

  @Override
  public synchronized void onRepairStart(RepairStart repair) {
    String note = "the cloud repairs after word " + repair.afterWords();
    notes.add(note);
    if (live != null) {
      live.println("           \u270e " + note);
    }
  }

  @Override
  public synchronized void onError(AgentException error) {
    errors.add(error);
    if (live != null) {
      live.println("           ! " + error.kind() + ": " + error.getMessage());
    }
  }
}

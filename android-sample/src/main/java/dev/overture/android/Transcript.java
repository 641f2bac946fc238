package dev.overture.android;

import dev.overture.device.AgentMode;
import dev.overture.device.ReplyWord;
import dev.overture.device.TurnMetrics;
import dev.overture.device.TurnResult;
import dev.overture.device.TurnStatus;
import dev.overture.device.WordSource;
import dev.overture.protocol.Words;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * What the transcript view shows: each turn's question, its reply with every piece marked by the model that made
 * it (device or cloud), and a line of details: the first word's time from the end of speech and how the turn
 * ended. Plain text with styles, so that the view only maps styles to colours.
 *
 * <p>Turns are numbered by the caller ({@link VoiceSession} counts them); words of a turn without a question
 * here are ignored. Not thread-safe (main thread).
 */
final class Transcript {

  /** How a segment is shown. */
  enum Style {
    USER,
    DEVICE,
    CLOUD,
    DETAILS
  }

  /** A run of text in one style. */
  record Segment(String text, Style style) {}

  /** Older turns are dropped from the view: a long conversation must not grow the view without bound. */
  static final int KEPT_TURNS = 50;

  private final Deque<Entry> entries = new ArrayDeque<>();

  /** Turn {@code turn} asked {@code text}. */
  void userSaid(int turn, String text) {
    entries.addLast(new Entry(turn, text));
    if (entries.size() > KEPT_TURNS) {
      entries.removeFirst();
    }
  }

  void word(int turn, ReplyWord word) {
    Entry entry = entry(turn);
    if (entry != null) {
      entry.words.add(word);
      if (entry.firstWordNanos < 0) {
        entry.firstWordNanos = word.sinceEndOfSpeechNanos();
      }
    }
  }

  /** A rewind: the reply of turn {@code turn} keeps its first {@code index} words. */
  void dropFrom(int turn, int index) {
    Entry entry = entry(turn);
    if (entry != null) {
      entry.words.removeIf(word -> word.index() >= index);
    }
  }

  void turnDone(int turn, TurnResult result) {
    Entry entry = entry(turn);
    if (entry == null) {
      return;
    }
    entry.result = result;
    if (result.status() == TurnStatus.CANCELLED) {
      dropFrom(turn, Words.count(result.reply())); // the history keeps only what was heard; so does the view
    }
  }

  /** The whole view, oldest turn first. */
  List<Segment> segments() {
    List<Segment> segments = new ArrayList<>();
    for (Entry entry : entries) {
      segments.add(new Segment("You: " + entry.userText + "\n", Style.USER));
      Style current = null;
      StringBuilder run = new StringBuilder();
      for (ReplyWord word : entry.words) {
        Style style = word.source() == WordSource.DEVICE ? Style.DEVICE : Style.CLOUD;
        if (style != current && run.length() > 0) {
          segments.add(new Segment(run.toString(), current));
          run.setLength(0);
        }
        current = style;
        run.append(word.text());
      }
      if (run.length() > 0) {
        segments.add(new Segment(run.toString(), current));
      }
      segments.add(new Segment("\n" + details(entry) + "\n\n", Style.DETAILS));
    }
    return segments;
  }

  private Entry entry(int turn) {
    for (Entry entry : entries) {
      if (entry.turn == turn) {
        return entry;
      }
    }
    return null;
  }

  private static String details(Entry entry) {
    List<String> parts = new ArrayList<>();
    if (entry.firstWordNanos >= 0) {
      parts.add(String.format(Locale.ROOT, "first word %.1f ms", entry.firstWordNanos / 1e6));
    }
    TurnResult result = entry.result;
    if (result == null) {
      parts.add(entry.firstWordNanos < 0 ? "thinking" : "speaking");
      return String.join(" · ", parts);
    }
    TurnMetrics metrics = result.metrics();
    parts.add(metrics.deviceWords() + " device + " + metrics.cloudWords() + " cloud words");
    parts.add(outcome(result));
    return String.join(" · ", parts);
  }

  private static String outcome(TurnResult result) {
    switch (result.status()) {
      case COMPLETED:
        return result.metrics().mode() == AgentMode.DEVICE_ONLY ? "device only" : "complete";
      case TRUNCATED:
        return "cut at the cloud's length limit";
      case LOCAL:
        return "finished on the device (" + result.metrics().fallback() + ")";
      case CANCELLED:
        return "interrupted";
      default:
        return "failed" + (result.error() == null ? "" : ": " + result.error().getMessage());
    }
  }

  private static final class Entry {
    final int turn;
    final String userText;
    final List<ReplyWord> words = new ArrayList<>();
    long firstWordNanos = -1;
    TurnResult result;

    Entry(int turn, String userText) {
      this.turn = turn;
      this.userText = userText;
    }
  }
}

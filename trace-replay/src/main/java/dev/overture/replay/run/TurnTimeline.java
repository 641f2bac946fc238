package dev.overture.replay.run;

import dev.overture.device.AgentException;
import dev.overture.device.AgentListener;
import dev.overture.device.ReplyWord;
import dev.overture.device.Rewind;
import dev.overture.device.TurnMetrics;
import dev.overture.device.TurnResult;
import dev.overture.device.WordSource;
import dev.overture.protocol.Words;
import dev.overture.replay.metrics.TokenF1;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records what happened to every piece of one turn's reply, when the agent released it and when
 * the speaker started playing it, and turns that into a {@link TurnSample}. It listens to the agent
 * (behind the speaker) and observes the speaker. Thread-safe.
 */
final class TurnTimeline implements AgentListener {

  /** A pause between played words longer than this is a stall (speech has natural gaps below it). */
  static final double STALL_MILLIS = 100;

  private final long wordNanos;
  private final List<Piece> pieces = new ArrayList<>();
  private final Map<ReplyWord, Piece> byWord = new IdentityHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private long endOfSpeech;
  private long cancelledAt = -1;

  TurnTimeline(double wordsPerSecond) {
    this.wordNanos = (long) (1e9 / wordsPerSecond);
  }

  private static final class Piece {
    final ReplyWord word;
    final long released;
    long played = -1;
    boolean dropped;

    Piece(ReplyWord word, long released) {
      this.word = word;
      this.released = released;
    }
  }

  synchronized void newTurn(long endOfSpeechNanos) {
    pieces.clear();
    byWord.clear();
    errors.clear();
    endOfSpeech = endOfSpeechNanos;
    cancelledAt = -1;
  }

  synchronized void cancelled(long nanoTime) {
    cancelledAt = nanoTime;
  }

  /** The speaker started playing {@code word}. */
  synchronized void played(ReplyWord word, long nanoTime) {
    Piece piece = byWord.get(word);
    if (piece != null && piece.played < 0) {
      piece.played = nanoTime;
    }
  }

  @Override
  public synchronized void onWord(ReplyWord word) {
    if (word.redelivered()) {
      return;
    }
    Piece piece = new Piece(word, System.nanoTime());
    pieces.add(piece);
    byWord.put(word, piece);
  }

  @Override
  public synchronized void onRewind(Rewind rewind) {
    for (Piece piece : pieces) {
      if (piece.word.index() >= rewind.keptWords() && piece.played < 0) {
        piece.dropped = true;
      }
    }
  }

  @Override
  public synchronized void onError(AgentException error) {
    errors.add(error.kind() + (error.code() == null ? "" : "/" + error.code()));
  }

  synchronized TurnSample sample(String conversation, int turn, String mode, String profile, TurnResult result, String gold,
      boolean bargeIn, double expectedIntervalMs, boolean keepTimeline) {
    TurnMetrics m = result.metrics();
    List<Piece> played = new ArrayList<>();
    for (Piece piece : pieces) {
      if (piece.played >= 0) {
        played.add(piece);
      }
    }
    played.sort((a, b) -> Long.compare(a.played, b.played));
    double firstWord = played.isEmpty() ? Double.NaN : ms(played.get(0).played - endOfSpeech);

    // The seam: the first cloud piece's arrival against the end of the last opener word played.
    Double seam = null;
    int firstCloud = -1;
    for (int i = 0; i < played.size(); i++) {
      if (played.get(i).word.source() == WordSource.CLOUD) {
        firstCloud = i;
        break;
      }
    }
    if (firstCloud > 0 && "split".equals(mode)) {
      Piece lastOpener = played.get(firstCloud - 1);
      seam = ms(played.get(firstCloud).released - (lastOpener.played + wordNanos));
    }

    int stalls = 0;
    double stallMs = 0;
    for (int i = 1; i < played.size(); i++) {
      if (i == firstCloud && seam != null) {
        continue; // the handoff is the seam, reported on its own
      }
      Piece previous = played.get(i - 1);
      long previousEnd = previous.played + (startsWord(played.get(i).word) ? wordNanos : 0);
      double gap = ms(played.get(i).played - previousEnd);
      if (gap > STALL_MILLIS) {
        stalls++;
        stallMs += gap;
      }
    }

    StringBuilder spoken = new StringBuilder();
    for (Piece piece : played) {
      spoken.append(piece.word.text());
    }
    String expected = result.reply();
    if (bargeIn) {
      expected = Words.prefix(expected, Math.min(Words.count(expected), Words.count(spoken)));
    }
    int[] diff = SpliceCheck.diff(words(spoken.toString()), words(expected));

    Double yield = null;
    if (cancelledAt >= 0) {
      long last = cancelledAt;
      for (Piece piece : pieces) {
        last = Math.max(last, piece.released);
      }
      yield = ms(last - cancelledAt);
    }
    Double ttft = m.commitToFirstCloudWordNanos() >= 0 ? m.commitToFirstCloudWordNanos() / 1e6 : null;
    Double tps = null;
    if (m.cloudOutputTokens() > 0 && m.lastCloudWordNanos() > m.firstCloudWordNanos() && m.firstCloudWordNanos() >= 0) {
      tps = m.cloudOutputTokens() / ((m.lastCloudWordNanos() - m.firstCloudWordNanos()) / 1e9);
    }
    Double f1 = gold == null || bargeIn ? null : TokenF1.of(result.reply(), gold);
    String error = result.error() != null ? result.error().kind().name() : errors.isEmpty() ? null : String.join(",", errors);
    List<TimelineEvent> timeline = null;
    if (keepTimeline) {
      timeline = new ArrayList<>();
      for (Piece piece : pieces) {
        timeline.add(new TimelineEvent(piece.word.text(), piece.word.source().name().toLowerCase(Locale.ROOT),
            ms(piece.released - endOfSpeech), piece.played < 0 ? null : ms(piece.played - endOfSpeech)));
      }
    }
    return new TurnSample(conversation, turn, mode, profile, result.status().name().toLowerCase(Locale.ROOT), m.transport(),
        firstWord, seam, stalls, stallMs, diff[0], bargeIn ? 0 : diff[1], yield, ttft, tps,
        m.verdict().name().toLowerCase(Locale.ROOT), m.fallback(), error, f1, m.openerWords(), expectedIntervalMs,
        result.reply(), timeline);
  }

  private static boolean startsWord(ReplyWord word) {
    return !word.text().isEmpty() && Words.isSeparator(word.text().charAt(0));
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.trim().split("[ \t\n\r]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}

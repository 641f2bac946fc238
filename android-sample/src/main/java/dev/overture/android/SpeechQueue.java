package dev.overture.android;

import dev.overture.device.ReplyWord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Speaks the reply's words as they arrive and tells which ones the user has heard.
 *
 * <p>The engine gets one utterance at a time, made of every word queued when the previous one ended, so that the
 * voice keeps its sentence prosody and words that arrive meanwhile wait here, where a rewind can still drop them.
 * Progress comes from the engine's range events: word {@code i} reported as starting means {@code i + 1} words
 * heard. Engines that never report ranges get one word per utterance instead, so that the utterance's start is
 * the word's start.
 *
 * <p>A rewind drops the queued words from its index on; words of the utterance being spoken are cut at the next
 * word boundary, when the engine is about to start the first dropped one (a word already sounding cannot be taken
 * back). A hold silences the engine and puts the words not yet started back in the queue.
 *
 * <p>Not thread-safe: one thread (the app's main thread) makes every call, engine events included.
 */
final class SpeechQueue implements TtsEngine.Events {

  /** What the queue reports to its owner. */
  interface Listener {

    /** {@code words} reply words of the current turn have started playing (never decreases within a turn). */
    void wordsHeard(int words);

    /** The last queued word ended: nothing is playing or waiting. */
    void silent();
  }

  private final TtsEngine engine;
  private final Listener listener;
  private final ArrayDeque<ReplyWord> queued = new ArrayDeque<>();
  private Utterance playing;
  private int heard;
  private boolean held;
  private boolean engineReportsRanges;
  private int utterances;

  SpeechQueue(TtsEngine engine, Listener listener) {
    this.engine = engine;
    this.listener = listener;
  }

  /** A piece of the reply to speak after those already queued. */
  void add(ReplyWord word) {
    queued.addLast(word);
    feed();
  }

  /** Drops every word from reply word {@code index} on that has not started playing (a rewind). */
  void dropFrom(int index) {
    queued.removeIf(word -> word.index() >= index);
    if (playing == null || playing.lastIndex() < index) {
      return;
    }
    if (playing.started == 0) {
      // The engine has not begun the utterance: say it again without the dropped words.
      List<ReplyWord> kept = playing.unstarted(i -> i < index);
      interrupt();
      requeueFirst(kept);
      next();
    } else {
      playing.limit = Math.min(playing.limit, index);
    }
  }

  /** Silences the engine and keeps the words not yet started for {@link #release}. */
  void hold() {
    held = true;
    if (playing != null) {
      // A comma after a word already heard goes with that word; words a rewind dropped from
      // this utterance (its limit) stay dropped.
      int limit = playing.limit;
      List<ReplyWord> unstarted = playing.unstarted(i -> i >= heard && i < limit);
      interrupt();
      requeueFirst(unstarted);
    }
  }

  /** Speaks again what {@link #hold} kept, and what arrived since. */
  void release() {
    held = false;
    feed();
  }

  /** Silence now and forget every word (a barge-in); a hold ends with it. */
  void clear() {
    interrupt();
    queued.clear();
    held = false;
  }

  /** The next words belong to a new reply: progress counts from zero again. */
  void newTurn() {
    clear();
    heard = 0;
  }

  /** Whether words are playing or waiting (held ones included). */
  boolean speaking() {
    return playing != null || !queued.isEmpty();
  }

  /** Reply words of the current turn heard so far. */
  int heard() {
    return heard;
  }

  @Override
  public void started(String utteranceId) {
    if (isPlaying(utteranceId)) {
      startedThrough(0);
    }
  }

  @Override
  public void rangeStarted(String utteranceId, int start) {
    engineReportsRanges = true;
    if (!isPlaying(utteranceId)) {
      return;
    }
    int piece = playing.pieceAt(start);
    if (playing.words.get(piece).index() < playing.limit) {
      startedThrough(piece);
      return;
    }
    // The engine is about to say a word a rewind dropped: stop at this boundary.
    startedThrough(piece - 1);
    interrupt();
    next();
  }

  @Override
  public void finished(String utteranceId) {
    if (!isPlaying(utteranceId)) {
      return; // an utterance this queue already stopped
    }
    startedThrough(playing.words.size() - 1);
    playing = null;
    next();
  }

  private boolean isPlaying(String utteranceId) {
    return playing != null && playing.id.equals(utteranceId);
  }

  private void next() {
    feed();
    if (!speaking()) {
      listener.silent();
    }
  }

  /** Hands the engine the next utterance when it has none. */
  private void feed() {
    if (held || playing != null || queued.isEmpty()) {
      return;
    }
    List<ReplyWord> words = new ArrayList<>();
    int firstIndex = queued.peekFirst().index();
    while (!queued.isEmpty() && (engineReportsRanges || queued.peekFirst().index() == firstIndex)) {
      words.add(queued.pollFirst());
    }
    playing = new Utterance("w" + (++utterances), words);
    engine.speak(playing.id, playing.text);
  }

  private void interrupt() {
    if (playing != null) {
      playing = null;
      engine.stop();
    }
  }

  private void requeueFirst(List<ReplyWord> words) {
    for (int i = words.size() - 1; i >= 0; i--) {
      queued.addFirst(words.get(i));
    }
  }

  private void startedThrough(int piece) {
    int before = heard;
    for (int i = playing.started; i <= piece; i++) {
      heard = Math.max(heard, playing.words.get(i).index() + 1);
    }
    playing.started = Math.max(playing.started, piece + 1);
    if (heard > before) {
      listener.wordsHeard(heard);
    }
  }

  /** Words handed to the engine as one text, with where each starts in it. */
  private static final class Utterance {
    final String id;
    final List<ReplyWord> words;
    final String text;
    final int[] starts;
    /** Pieces reported as started. */
    int started;
    /** Reply words from this index on were dropped by a rewind. */
    int limit = Integer.MAX_VALUE;

    Utterance(String id, List<ReplyWord> words) {
      this.id = id;
      this.words = words;
      this.starts = new int[words.size()];
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < words.size(); i++) {
        starts[i] = text.length();
        text.append(words.get(i).text());
      }
      this.text = text.toString();
    }

    int lastIndex() {
      return words.get(words.size() - 1).index();
    }

    /** The piece that holds character {@code offset} of the text. */
    int pieceAt(int offset) {
      int piece = 0;
      while (piece + 1 < starts.length && starts[piece + 1] <= offset) {
        piece++;
      }
      return piece;
    }

    /** Pieces not started yet whose reply word index passes {@code keep}. */
    List<ReplyWord> unstarted(IntPredicate keep) {
      List<ReplyWord> kept = new ArrayList<>();
      for (int i = started; i < words.size(); i++) {
        if (keep.test(words.get(i).index())) {
          kept.add(words.get(i));
        }
      }
      return kept;
    }
  }
}

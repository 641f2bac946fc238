package dev.overture.device;

import dev.overture.device.internal.WordSplitter;
import dev.overture.protocol.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The mutable state of one turn, owned by the agent's loop. {@link Conversation} drives it; this
 * class only keeps the books: the reply as released, the cloud's view of it, playback timing and
 * the metrics.
 */
final class Turn {

  final String id;
  /** {@code "websocket"}, {@code "http"} or {@code "none"}; a socket that fails moves the turn to http. */
  String transport;
  final CompletableFuture<TurnResult> result = new CompletableFuture<>();
  final long expectedCloudNanos;
  final double wordsPerNanosecond;

  int revisions;
  String userText;
  long endOfSpeech = -1;

  // Opener.
  final List<String> opener = new ArrayList<>();
  int openerTarget;
  boolean committed;
  long commitAt = -1;
  boolean speculativeHit;
  int prefillTokensAtEnd = -1;
  long firstWordAt = -1;
  int keptOpener;
  Verdict verdict = Verdict.NONE;

  // The reply: what was released to the app, and the cloud's reply as the cloud knows it.
  final StringBuilder released = new StringBuilder();
  final StringBuilder cloudReply = new StringBuilder();
  final List<ReplyWord> pieces = new ArrayList<>();
  int emittedPieces;
  WordSplitter cloudWords;
  long firstCloudWordAt = -1;
  long lastCloudWordAt = -1;
  long cloudOutputTokens = -1;
  int deviceWords;
  int cloudWordCount;

  // Playback.
  int heard;
  int progressSent;
  long speechEnd = -1;
  long openerPlayedAt = -1;
  /** Dead air between the opener's end and the first cloud word, judged when that word came. */
  long seam = -1;
  boolean paused;

  // Ending.
  String fallback;
  boolean local;
  volatile boolean stop;
  boolean finished;
  boolean truncateSent;
  ScheduledFuture<?> deadline;

  Turn(String id, String transport, long expectedCloudNanos, double wordsPerSecond) {
    this.id = id;
    this.transport = transport;
    this.expectedCloudNanos = expectedCloudNanos;
    this.wordsPerNanosecond = wordsPerSecond / 1e9;
  }

  boolean cloudUsed() {
    return !"none".equals(transport);
  }

  int releasedWords() {
    return Words.count(released);
  }

  /** Nanoseconds one word takes to speak. */
  long wordNanos() {
    return (long) (1 / wordsPerNanosecond);
  }

  /**
   * Records a released piece and moves the estimate of when playback ends: a new word starts
   * when the previous one ended or now, whichever is later.
   */
  ReplyWord release(String text, WordSource source, long now) {
    int before = Words.count(released);
    released.append(text);
    int after = Words.count(released);
    if (after > before) {
      if (!paused) {
        speechEnd = Math.max(speechEnd, now) + wordNanos();
      }
      if (source == WordSource.DEVICE) {
        deviceWords++;
      } else {
        cloudWordCount++;
      }
    }
    if (firstWordAt < 0) {
      firstWordAt = now;
    }
    ReplyWord word = new ReplyWord(text, source, Math.max(0, after - 1), now - endOfSpeech, false);
    pieces.add(word);
    return word;
  }

  /** Playback reached {@code words} heard at {@code now}: re-anchor the end-of-speech estimate. */
  void heard(int words, long now) {
    heard = Math.max(heard, Math.min(words, releasedWords()));
    if (!paused) {
      speechEnd = now + (releasedWords() - heard) * wordNanos();
    }
    if (committed && openerPlayedAt < 0 && heard >= keptOrCommitted()) { // after a rewind, the kept words
      openerPlayedAt = now;
    }
  }

  /** When the opener will have finished playing (estimated until playback reports it). */
  long openerEnd(long now) {
    if (openerPlayedAt >= 0) {
      return openerPlayedAt;
    }
    int left = Math.max(0, keptOrCommitted() - heard);
    return Math.max(now, speechEnd - (releasedWords() - heard - left) * wordNanos());
  }

  int keptOrCommitted() {
    return verdict == Verdict.REWIND || verdict == Verdict.REPAIR ? keptOpener : opener.size();
  }

  /** Drops released opener words from {@code kept} on. */
  void rewindTo(int kept) {
    String text = Words.prefix(String.join("", opener), kept);
    released.setLength(0);
    released.append(text);
    cloudReply.setLength(0);
    cloudReply.append(text);
    keptOpener = kept;
    List<ReplyWord> keep = new ArrayList<>();
    for (ReplyWord piece : pieces) {
      if (piece.index() < kept) {
        keep.add(piece);
      }
    }
    emittedPieces = Math.min(emittedPieces, keep.size());
    pieces.clear();
    pieces.addAll(keep);
    deviceWords = kept;
    speechEnd = Math.min(speechEnd, System.nanoTime() + Math.max(0, kept - heard) * wordNanos());
  }

  TurnMetrics metrics(AgentMode mode) {
    return new TurnMetrics(
        mode,
        transport,
        Math.max(0, prefillTokensAtEnd),
        speculativeHit,
        since(firstWordAt),
        opener.size(),
        openerTarget,
        verdict,
        verdict == Verdict.NONE || verdict == Verdict.ACCEPT ? opener.size() : keptOpener,
        expectedCloudNanos,
        firstCloudWordAt >= 0 && commitAt >= 0 ? firstCloudWordAt - commitAt : -1,
        since(firstCloudWordAt),
        since(openerPlayedAt >= 0 ? openerPlayedAt : committed ? openerEnd(System.nanoTime()) : -1),
        seam,
        deviceWords,
        cloudWordCount,
        fallback,
        since(lastCloudWordAt),
        cloudOutputTokens);
  }

  private long since(long at) {
    return at < 0 || endOfSpeech < 0 ? -1 : at - endOfSpeech;
  }
}

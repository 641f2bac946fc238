package dev.overture.device.playback;

import dev.overture.device.AgentException;
import dev.overture.device.AgentListener;
import dev.overture.device.Conversation;
import dev.overture.device.RepairStart;
import dev.overture.device.ReplyWord;
import dev.overture.device.Rewind;
import dev.overture.device.TurnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A stand-in for text-to-speech, for demos, benchmarks and tests: it "speaks" the words it
 * receives at a fixed rate, one word per {@code 1 / wordsPerSecond} seconds, and reports each word
 * to the conversation with {@link Conversation#playbackProgress} as it starts playing, as an app
 * reports its TTS word-boundary events (a word whose sound has begun cannot be taken back). Rewinds drop the unspoken words; {@link #stop} is the speaker falling silent for
 * a barge-in. Every event is also passed on to a delegate listener.
 *
 * <p>Thread-safe; its own daemon thread plays the words. Close it to stop that thread.
 */
public final class SimulatedSpeaker implements AgentListener, AutoCloseable {

  /** Hears each piece the moment it starts playing (for latency testers' timelines). */
  @FunctionalInterface
  public interface PlaybackObserver {
    void started(ReplyWord word, long nanoTime);
  }

  private final long wordNanos;
  private final AgentListener delegate;
  private volatile PlaybackObserver observer = (word, at) -> {};
  private final ScheduledThreadPoolExecutor clock;
  private IntConsumer progress;

  // Guarded by this.
  private final List<ReplyWord> queue = new ArrayList<>();
  private final StringBuilder spoken = new StringBuilder();
  private int turnWordsSpoken;
  private boolean playing;
  private ScheduledFuture<?> next;

  public SimulatedSpeaker(double wordsPerSecond, AgentListener delegate) {
    this.wordNanos = (long) (1e9 / wordsPerSecond);
    this.delegate = delegate;
    this.clock = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "overture-speaker");
      t.setDaemon(true);
      return t;
    });
  }

  /** Receives each piece as it starts playing. */
  public void observe(PlaybackObserver observer) {
    this.observer = observer;
  }

  /** The conversation to report playback progress to (set it before its first turn). */
  public synchronized void attach(Conversation conversation) {
    this.progress = conversation::playbackProgress;
  }

  /** Where to report the words heard when the assistant is not a {@link Conversation}. */
  public synchronized void attach(IntConsumer progress) {
    this.progress = progress;
  }

  /** Words of the current turn heard so far. */
  public synchronized int wordsHeard() {
    return turnWordsSpoken;
  }

  /** What the user heard of the current turn. */
  public synchronized String heardText() {
    return spoken.toString();
  }

  /** Whether nothing is playing or queued. */
  public synchronized boolean isSilent() {
    return !playing && queue.isEmpty();
  }

  /** Blocks until every queued word has been spoken, or {@code timeoutMillis} passed. */
  public void awaitSilence(long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (System.nanoTime() < end) {
      synchronized (this) {
        if (!playing && queue.isEmpty()) {
          return;
        }
      }
      Thread.sleep(10);
    }
  }

  /** Falls silent: the words not spoken yet are dropped (a barge-in). */
  public synchronized void stop() {
    queue.clear();
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    playing = false;
  }

  /** A new turn: counts start from zero. */
  public synchronized void newTurn() {
    stop();
    spoken.setLength(0);
    turnWordsSpoken = 0;
  }

  @Override
  public void onWord(ReplyWord word) {
    // The delegate hears of the word before it can start playing, so that an observer of playback
    // never sees a word its listener has not been given yet.
    delegate.onWord(word);
    synchronized (this) {
      if (word.redelivered()) {
        queue.removeIf(w -> w.index() >= word.index() && !w.redelivered());
      }
      queue.add(word);
      if (!playing) {
        playing = true;
        next = clock.schedule(this::speakNext, 0, TimeUnit.NANOSECONDS);
      }
    }
  }

  @Override
  public void onRewind(Rewind rewind) {
    synchronized (this) {
      queue.removeIf(w -> w.index() >= rewind.keptWords());
    }
    delegate.onRewind(rewind);
  }

  @Override
  public void onRepairStart(RepairStart repair) {
    delegate.onRepairStart(repair);
  }

  @Override
  public void onTurnDone(TurnResult result) {
    delegate.onTurnDone(result);
  }

  @Override
  public void onError(AgentException error) {
    delegate.onError(error);
  }

  /** Speaks the next queued piece: a new word takes a word's time, attached punctuation none. */
  private void speakNext() {
    IntConsumer target;
    int heard;
    long pause;
    ReplyWord word;
    synchronized (this) {
      if (queue.isEmpty()) {
        playing = false;
        next = null;
        return;
      }
      word = queue.remove(0);
      spoken.append(word.text());
      boolean newWord = word.index() + 1 > turnWordsSpoken;
      turnWordsSpoken = Math.max(turnWordsSpoken, word.index() + 1);
      heard = turnWordsSpoken;
      target = progress;
      pause = newWord ? wordNanos : 0;
      next = clock.schedule(this::speakNext, pause, TimeUnit.NANOSECONDS);
    }
    observer.started(word, System.nanoTime());
    if (target != null) {
      target.accept(heard);
    }
  }

  @Override
  public void close() {
    stop();
    clock.shutdownNow();
  }
}

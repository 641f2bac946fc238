package dev.overture.replay.run;

import dev.overture.device.TurnResult;
import dev.overture.device.playback.SimulatedSpeaker;
import dev.overture.replay.trace.Partial;
import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Plays one trace conversation through an {@link Assistant} as its user would: waits the think
 * time, "speaks" (partial transcripts at their times, the final after the end-pointing delay),
 * listens through a {@link SimulatedSpeaker} that reports what was heard, barges in where the trace
 * says, and records each turn's {@link TurnSample}. Runs on the calling thread.
 */
final class ConversationDriver {

  /** The longest a turn may take before it is recorded as failed and the conversation stops. */
  static final long TURN_TIMEOUT_SECONDS = 120;

  private final double speechRate;
  private final String profile;
  private final int keepTimelines;
  private final boolean closedLoop;

  /**
   * @param closedLoop whether users wait for a device (coordinated-omission correction applies to
   *     their turns); an open loop already counts a late start in the first turn's latency
   */
  ConversationDriver(double speechRate, String profile, int keepTimelines, boolean closedLoop) {
    this.speechRate = speechRate;
    this.profile = profile;
    this.keepTimelines = keepTimelines;
    this.closedLoop = closedLoop;
  }

  /**
   * @param lateNanos how late the conversation starts against its intended arrival (open loop): its
   *     first turn's latency includes it (coordinated-omission correction)
   * @param samples receives each turn's sample as soon as it is measured
   */
  void play(Assistant assistant, TraceConversation conversation, long lateNanos, int sampleNumber, Consumer<TurnSample> samples)
      throws Exception {
    TurnTimeline timeline = new TurnTimeline(speechRate);
    try (SimulatedSpeaker speaker = new SimulatedSpeaker(speechRate, timeline)) {
      speaker.observe(timeline::played);
      Assistant.Session session = assistant.open(speaker);
      speaker.attach(session::heard);
      try {
        for (int t = 0; t < conversation.turns().size(); t++) {
          TraceTurn turn = conversation.turns().get(t);
          sleepSeconds(turn.thinkSeconds());
          speaker.newTurn();
          long start = System.nanoTime();
          for (Partial partial : turn.partials()) {
            sleepUntil(start + seconds(partial.atSeconds()));
            session.partial(partial.text());
          }
          sleepUntil(start + seconds(turn.speechSeconds() + turn.endpointSeconds()));
          long endOfSpeech = System.nanoTime();
          timeline.newTurn(endOfSpeech - (t == 0 ? lateNanos : 0));
          var result = session.finalText(turn.user());
          boolean bargeIn = turn.bargeInAfterWords() != null;
          double interval = closedLoop ? (turn.thinkSeconds() + turn.speechSeconds() + turn.endpointSeconds()) * 1000 : 0;
          TurnResult done;
          try {
            if (bargeIn) {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TURN_TIMEOUT_SECONDS);
              while (speaker.wordsHeard() < turn.bargeInAfterWords() && System.nanoTime() < deadline
                  && !(result.isDone() && speaker.isSilent())) {
                Thread.sleep(2);
              }
              timeline.cancelled(System.nanoTime());
              speaker.stop();
              session.cancel().get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            done = result.get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          } catch (TimeoutException | ExecutionException e) {
            // Recorded as failed; the conversation stops, since its history is no longer the trace's.
            String why = e instanceof TimeoutException ? "no result within " + TURN_TIMEOUT_SECONDS + " s"
                : "the turn failed: " + e.getCause();
            samples.accept(TurnSample.failed(conversation.id(), t, assistant.mode(), profile, why, interval));
            return;
          }
          speaker.awaitSilence(TimeUnit.SECONDS.toMillis(TURN_TIMEOUT_SECONDS));
          samples.accept(timeline.sample(conversation.id(), t, assistant.mode(), profile, done, turn.gold(), bargeIn, interval,
              sampleNumber < keepTimelines));
        }
      } finally {
        session.close();
      }
    }
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  private static void sleepSeconds(double s) throws InterruptedException {
    sleepUntil(System.nanoTime() + seconds(s));
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}

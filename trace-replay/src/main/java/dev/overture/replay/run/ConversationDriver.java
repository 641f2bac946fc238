package dev.overture.replay.run;

import dev.overture.device.TurnResult;
import dev.overture.device.playback.SimulatedSpeaker;
import dev.overture.replay.trace.Partial;
import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  ConversationDriver(double speechRate, String profile, int keepTimelines) {
    this.speechRate = speechRate;
    this.profile = profile;
    this.keepTimelines = keepTimelines;
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
          TurnResult done = result.get(TURN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          speaker.awaitSilence(TimeUnit.SECONDS.toMillis(TURN_TIMEOUT_SECONDS));
          double interval = (turn.thinkSeconds() + turn.speechSeconds() + turn.endpointSeconds()) * 1000;
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

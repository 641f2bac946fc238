package dev.overture.replay.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.device.AgentMode;
import dev.overture.device.ReplyWord;
import dev.overture.device.TurnMetrics;
import dev.overture.device.TurnResult;
import dev.overture.device.TurnStatus;
import dev.overture.device.Verdict;
import dev.overture.device.WordSource;
import org.junit.jupiter.api.Test;

/**
 * The turn metrics from a scripted timeline. Times are driven through {@link TurnTimeline#played}
 * with explicit nanoTimes; release times are the real clock, so the scripts keep releases before
 * the play times they set.
 */
class TurnTimelineTest {

  static final double RATE = 10; // 100 ms per word

  static TurnResult result(String reply) {
    TurnMetrics m = new TurnMetrics(AgentMode.SPLIT, "websocket", 0, true, 1_000_000, 2, 4, Verdict.ACCEPT, 2, 0, 50_000_000, 60_000_000,
        -1, 0, 2, 2, null, 70_000_000, 8);
    return new TurnResult("t1", TurnStatus.COMPLETED, "q", reply, m, null);
  }

  @Test
  void seamIsFirstCloudArrivalMinusEndOfLastOpenerWord() throws Exception {
    TurnTimeline timeline = new TurnTimeline(RATE);
    long t0 = System.nanoTime();
    timeline.newTurn(t0);
    ReplyWord a = new ReplyWord("Sure,", WordSource.DEVICE, 0, 0, false);
    ReplyWord b = new ReplyWord(" I", WordSource.DEVICE, 1, 0, false);
    timeline.onWord(a);
    timeline.onWord(b);
    timeline.played(a, t0);
    timeline.played(b, t0 + 100_000_000L);
    Thread.sleep(400); // the cloud word arrives 400 ms in: the opener ended at 200 ms
    ReplyWord c = new ReplyWord(" love", WordSource.CLOUD, 2, 0, false);
    timeline.onWord(c);
    timeline.played(c, System.nanoTime());

    TurnSample s = timeline.sample("c", 0, "split", "lan", result("Sure, I love"), null, false, 1000, true);

    assertTrue(s.seamMs() >= 195, "dead air of about 200 ms, got " + s.seamMs());
    assertEquals(0, s.stalls(), "the seam is not a stall");
    assertEquals(0, s.repeatedWords());
    assertEquals(0, s.droppedWords());
    assertEquals(3, s.timeline().size());
  }

  @Test
  void pauseInsideTheCloudTextIsAStall() {
    TurnTimeline timeline = new TurnTimeline(RATE);
    long t0 = System.nanoTime() - 2_000_000_000L;
    timeline.newTurn(t0);
    ReplyWord a = new ReplyWord("Hello", WordSource.CLOUD, 0, 0, false);
    ReplyWord b = new ReplyWord(" there", WordSource.CLOUD, 1, 0, false);
    ReplyWord c = new ReplyWord(" friend.", WordSource.CLOUD, 2, 0, false);
    timeline.onWord(a);
    timeline.onWord(b);
    timeline.onWord(c);
    timeline.played(a, t0);
    timeline.played(b, t0 + 100_000_000L);
    timeline.played(c, t0 + 700_000_000L); // 500 ms of silence after " there" ended

    TurnSample s = timeline.sample("c", 0, "cloud-only", "lan", result("Hello there friend."), null, false, 1000, false);

    assertEquals(1, s.stalls());
    assertEquals(500, s.stallMs(), 1);
    assertNull(s.seamMs(), "cloud-only has no seam");
    assertNull(s.timeline(), "no timeline kept");
  }

  @Test
  void wordSpokenTwiceIsARepeat() {
    TurnTimeline timeline = new TurnTimeline(RATE);
    long t0 = System.nanoTime() - 1_000_000_000L;
    timeline.newTurn(t0);
    ReplyWord a = new ReplyWord("I", WordSource.DEVICE, 0, 0, false);
    ReplyWord b = new ReplyWord(" love", WordSource.DEVICE, 1, 0, false);
    ReplyWord c = new ReplyWord(" love", WordSource.CLOUD, 2, 0, false);
    for (ReplyWord w : new ReplyWord[] {a, b, c}) {
      timeline.onWord(w);
    }
    timeline.played(a, t0);
    timeline.played(b, t0 + 100_000_000L);
    timeline.played(c, t0 + 200_000_000L);

    TurnSample s = timeline.sample("c", 0, "split", "lan", result("I love"), "I love", false, 1000, false);

    assertEquals(1, s.repeatedWords());
    assertEquals(1.0, s.f1(), 1e-9);
  }

  @Test
  void bargeInYieldIsTheLastReleaseAfterTheCancel() throws Exception {
    TurnTimeline timeline = new TurnTimeline(RATE);
    long t0 = System.nanoTime();
    timeline.newTurn(t0);
    timeline.cancelled(System.nanoTime());
    Thread.sleep(30);
    timeline.onWord(new ReplyWord("late", WordSource.CLOUD, 0, 0, false));

    TurnSample s = timeline.sample("c", 0, "split", "lan", result(""), "gold", true, 1000, false);

    assertTrue(s.bargeInYieldMs() >= 29, "yield " + s.bargeInYieldMs());
    assertNull(s.f1(), "barge-in turns are not scored");
  }
}

package dev.overture.android;

import static dev.overture.android.Replies.cloud;
import static dev.overture.android.Replies.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechQueueTest {

  final FakeTts tts = new FakeTts();
  final List<Integer> heard = new ArrayList<>();
  int silences;
  final SpeechQueue queue = new SpeechQueue(tts, new SpeechQueue.Listener() {
    @Override
    public void wordsHeard(int words) {
      heard.add(words);
    }

    @Override
    public void silent() {
      silences++;
    }
  });

  /** Plays the first word through an engine that reports ranges, so that later utterances batch words. */
  private void firstWordOnARangeEngine() {
    queue.add(device("A", 0));
    queue.rangeStarted(tts.lastId(), 0);
  }

  @Test
  void firstWordIsSpokenAtOnce() {
    queue.add(device("A", 0));

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void wordsArrivingWhileTheEngineSpeaksBecomeTheNextUtterance() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(cloud(" is", 2));

    queue.finished("w1");

    assertEquals(List.of("w1=A", "w2= violin is"), tts.spoken);
  }

  @Test
  void rangeStartReportsTheWordsHeard() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(cloud(" is", 2));
    queue.finished("w1");

    queue.rangeStarted("w2", " violin".length() + 1); // "is"

    assertEquals(List.of(1, 3), heard);
  }

  @Test
  void engineWithoutRangesGetsOneWordPerUtterance() {
    queue.add(device("A", 0));
    queue.add(device(" violin", 1));
    queue.add(cloud(" is", 2));

    queue.finished("w1");

    assertEquals(List.of("w1=A", "w2= violin"), tts.spoken);
  }

  @Test
  void startOfAnUtteranceReportsItsFirstWordHeard() {
    queue.add(device("A", 0));

    queue.started("w1");

    assertEquals(List.of(1), heard);
  }

  @Test
  void endOfAnUtteranceReportsAllItsWordsHeard() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(cloud(" is", 2));
    queue.finished("w1");

    queue.finished("w2");

    assertEquals(List.of(1, 3), heard);
  }

  @Test
  void rewindDropsQueuedWords() {
    queue.add(device("A", 0));
    queue.add(device(" violin", 1));
    queue.add(device(" plays", 2));

    queue.dropFrom(1);
    queue.finished("w1");

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void rewindLetsTheSoundingWordFinishAndStopsBeforeTheFirstDroppedOne() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(device(" plays", 2));
    queue.finished("w1");
    queue.rangeStarted("w2", 1); // "violin" sounds

    queue.dropFrom(2);
    int stopsBeforeBoundary = tts.stops;
    queue.rangeStarted("w2", " violin".length() + 1); // about to say "plays"

    assertEquals(List.of(0, 1), List.of(stopsBeforeBoundary, tts.stops));
  }

  @Test
  void rewindCutDoesNotCountTheDroppedWordAsHeard() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(device(" plays", 2));
    queue.finished("w1");
    queue.rangeStarted("w2", 1);
    queue.dropFrom(2);

    queue.rangeStarted("w2", " violin".length() + 1);

    assertEquals(2, queue.heard());
  }

  @Test
  void rewindOfAnUtteranceNotStartedSpeaksItAgainWithoutTheDroppedWords() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(device(" plays", 2));
    queue.finished("w1"); // w2 = " violin plays", not started

    queue.dropFrom(2);

    assertEquals(List.of("w1=A", "w2= violin plays", "w3= violin"), tts.spoken);
  }

  @Test
  void holdSilencesTheEngine() {
    queue.add(device("A", 0));

    queue.hold();

    assertEquals(1, tts.stops);
  }

  @Test
  void releaseSpeaksTheWordsNotStartedBeforeTheHold() {
    firstWordOnARangeEngine();
    queue.add(device(" violin", 1));
    queue.add(device(" plays", 2));
    queue.finished("w1");
    queue.rangeStarted("w2", 1); // "violin" heard
    queue.hold();

    queue.release();

    assertEquals(" plays", tts.lastText());
  }

  @Test
  void wordsArrivingDuringAHoldWaitForTheRelease() {
    queue.add(device("A", 0));
    queue.started("w1");
    queue.hold();

    queue.add(device(" violin", 1));

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void clearEndsAHold() {
    queue.add(device("A", 0));
    queue.hold();
    queue.clear();

    queue.add(device("Yes", 0));

    assertEquals("Yes", tts.lastText());
  }

  @Test
  void eventsOfAStoppedUtteranceAreIgnored() {
    queue.add(device("A", 0));
    queue.clear();

    queue.finished("w1");

    assertEquals(List.of(0, List.of()), List.of(silences, heard));
  }

  @Test
  void silentWhenTheLastWordEnds() {
    queue.add(device("A", 0));

    queue.finished("w1");

    assertEquals(1, silences);
  }

  @Test
  void newTurnCountsProgressFromZero() {
    queue.add(device("A", 0));
    queue.add(device(" violin", 1));
    queue.finished("w1");
    queue.finished("w2");

    queue.newTurn();
    queue.add(device("Yes", 0));
    queue.started("w3");

    assertEquals(List.of(1, 2, 1), heard);
  }

  @Test
  void clearForgetsEveryWord() {
    queue.add(device("A", 0));
    queue.add(device(" violin", 1));

    queue.clear();

    assertFalse(queue.speaking());
  }
}

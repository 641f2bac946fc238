package dev.overture.android;

import static dev.overture.android.Replies.cloud;
import static dev.overture.android.Replies.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.overture.device.ReplyWord;
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

  private void add(ReplyWord... words) {
    for (ReplyWord word : words) {
      queue.add(word);
    }
  }

  /** After "A", {@code words} become utterance w2, handed to the engine and not started yet. */
  private void secondUtterance(ReplyWord... words) {
    firstWordOnARangeEngine();
    add(words);
    queue.finished("w1");
  }

  /** Utterance w2 is " violin plays", and "violin" is sounding. */
  private void violinSounding() {
    secondUtterance(device(" violin", 1), device(" plays", 2));
    queue.rangeStarted("w2", 1);
  }

  @Test
  void firstWordIsSpokenAtOnce() {
    queue.add(device("A", 0));

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void wordsArrivingWhileTheEngineSpeaksBecomeTheNextUtterance() {
    secondUtterance(device(" violin", 1), cloud(" is", 2));

    assertEquals(List.of("w1=A", "w2= violin is"), tts.spoken);
  }

  @Test
  void rangeStartReportsTheWordsHeard() {
    secondUtterance(device(" violin", 1), cloud(" is", 2));

    queue.rangeStarted("w2", " violin".length() + 1); // "is"

    assertEquals(List.of(1, 3), heard);
  }

  @Test
  void engineWithoutRangesGetsOneWordPerUtterance() {
    add(device("A", 0), device(" violin", 1), cloud(" is", 2));

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
    secondUtterance(device(" violin", 1), cloud(" is", 2));

    queue.finished("w2");

    assertEquals(List.of(1, 3), heard);
  }

  @Test
  void rewindDropsQueuedWords() {
    add(device("A", 0), device(" violin", 1), device(" plays", 2));

    queue.dropFrom(1);
    queue.finished("w1");

    assertEquals(List.of("w1=A"), tts.spoken);
  }

  @Test
  void rewindLetsTheSoundingWordFinishAndStopsBeforeTheFirstDroppedOne() {
    violinSounding();

    queue.dropFrom(2);
    int stopsBeforeBoundary = tts.stops;
    queue.rangeStarted("w2", " violin".length() + 1); // about to say "plays"

    assertEquals(List.of(0, 1), List.of(stopsBeforeBoundary, tts.stops));
  }

  @Test
  void rewindCutDoesNotCountTheDroppedWordAsHeard() {
    violinSounding();
    queue.dropFrom(2);

    queue.rangeStarted("w2", " violin".length() + 1);

    assertEquals(2, queue.heard());
  }

  @Test
  void rewindOfAnUtteranceNotStartedSpeaksItAgainWithoutTheDroppedWords() {
    secondUtterance(device(" violin", 1), device(" plays", 2));

    queue.dropFrom(2);

    assertEquals(List.of("w1=A", "w2= violin plays", "w3= violin"), tts.spoken);
  }

  @Test
  void rewindOfEveryWordNotStartedEndsInSilence() {
    secondUtterance(device(" violin", 1), device(" plays", 2));

    queue.dropFrom(1);

    assertEquals(1, silences);
  }

  @Test
  void aHoldAfterARewindDoesNotBringTheDroppedWordsBack() {
    violinSounding();
    queue.dropFrom(2); // "plays" is dropped while "violin" still sounds

    queue.hold();
    queue.release();

    assertEquals(List.of("w1=A", "w2= violin plays"), tts.spoken);
  }

  @Test
  void holdSilencesTheEngine() {
    queue.add(device("A", 0));

    queue.hold();

    assertEquals(1, tts.stops);
  }

  @Test
  void releaseSpeaksTheWordsNotStartedBeforeTheHold() {
    violinSounding();
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
    add(device("A", 0), device(" violin", 1));
    queue.finished("w1");
    queue.finished("w2");

    queue.newTurn();
    queue.add(device("Yes", 0));
    queue.started("w3");

    assertEquals(List.of(1, 2, 1), heard);
  }

  @Test
  void clearForgetsEveryWord() {
    add(device("A", 0), device(" violin", 1));

    queue.clear();

    assertFalse(queue.speaking());
  }
}

package dev.overture.replay.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpliceCheckTest {

  @Test
  void exactSpliceHasNeither() {
    assertArrayEquals(new int[] {0, 0}, SpliceCheck.diff(List.of("Sure,", "I", "love", "it."), List.of("Sure,", "I", "love", "it.")));
  }

  @Test
  void repeatedWordAtTheSeamCounts() {
    assertArrayEquals(new int[] {1, 0}, SpliceCheck.diff(List.of("I", "love", "love", "music."), List.of("I", "love", "music.")));
  }

  @Test
  void droppedWordAtTheSeamCounts() {
    assertArrayEquals(new int[] {0, 1}, SpliceCheck.diff(List.of("I", "music."), List.of("I", "love", "music.")));
  }
}

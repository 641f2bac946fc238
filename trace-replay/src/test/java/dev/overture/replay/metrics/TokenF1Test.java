package dev.overture.replay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenF1Test {

  @Test
  void articlesAndPunctuationAreIgnored() {
    assertEquals(List.of("city", "is", "large", "town"), TokenF1.words("A city is THE large, town."));
  }

  @Test
  void identicalAnswersScoreOne() {
    assertEquals(1.0, TokenF1.of("A large town.", "large town"), 1e-9);
  }

  @Test
  void partialOverlapIsHarmonicMeanOfPrecisionAndRecall() {
    // answer: to, move, fast (3); gold: move, fast, by, foot (4); common 2: p 2/3, r 2/4.
    assertEquals(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), TokenF1.of("to move fast", "move fast by foot"), 1e-9);
  }

  @Test
  void noOverlapScoresZero() {
    assertEquals(0.0, TokenF1.of("blue", "red"), 0);
  }
}

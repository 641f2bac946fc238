package dev.overture.cloud.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.cloud.engine.OpenerScore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenerVerifierTest {

  private final OpenerVerifier verifier =
      new OpenerVerifier(new VerifyProperties(true, -8f, List.of(" one:", " two:")));

  private static OpenerScore scores(float... words) {
    return OpenerScore.of(words);
  }

  /** The verdict on an opener of {@code words} words the user did not say. */
  private static Verdict verdict(OpenerVerifier verifier, OpenerScore score, int words, int heard, boolean canRewind) {
    List<String> opener = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      opener.add(" w" + i);
    }
    return verifier.verdict(score, opener, List.of("What is a violin?"), heard, canRewind);
  }

  @Test
  void aWordTheUserSaidIsNeverABadWord() {
    List<String> opener = List.of("The", " word", " \"Crème", " brûlée\"", " means");
    List<String> user = List.of("What does \"crème brûlée\" mean?");
    assertThat(verifier.verdict(scores(-1f, -1f, -12f, -15f, -1f), opener, user, 0, true)).isEqualTo(new Verdict.Accept(5));
    assertThat(verifier.verdict(scores(-1f, -1f, -12f, -15f, -9f), opener, user, 0, true))
        .as("means is not the user's mean")
        .isEqualTo(new Verdict.Rewind(4));
  }

  @Test
  void theQuestionBeforeCountsForAFollowUp() {
    List<String> opener = List.of("A", " sloop", " is");
    assertThat(verifier.verdict(scores(-1f, -12f, -1f), opener, List.of("And what is it?", "What is a sloop?"), 0, true))
        .isEqualTo(new Verdict.Accept(3));
    assertThat(verifier.verdict(scores(-1f, -12f, -1f), opener, List.of("And what is it?"), 0, true)).isEqualTo(new Verdict.Rewind(1));
  }

  @Test
  void aBareWordLosesItsQuotesAndPunctuationAndCase() {
    assertThat(OpenerVerifier.bare(" \"Crème,")).isEqualTo("crème");
    assertThat(OpenerVerifier.bare("rough-spoken?")).isEqualTo("rough-spoken");
    assertThat(OpenerVerifier.bare(" ...")).isEmpty();
  }

  @Test
  void anOpenerWithoutABadWordIsAccepted() {
    assertThat(verdict(verifier, scores(-1f, -7.9f, -2f), 3, 0, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void aBadWordNotYetHeardIsRewoundToTheWordsBeforeIt() {
    assertThat(verdict(verifier, scores(-1f, -2f, -9f, -1f), 4, 2, true)).isEqualTo(new Verdict.Rewind(2));
  }

  @Test
  void aBadWordAlreadyHeardIsRepairedAfterTheWholeOpener() {
    assertThat(verdict(verifier, scores(-1f, -9f, -1f), 3, 2, true)).isEqualTo(new Verdict.Repair(3));
  }

  @Test
  void theFirstBadWordDecides() {
    assertThat(verdict(verifier, scores(-1f, -9f, -1f, -12f), 4, 0, true)).isEqualTo(new Verdict.Rewind(1));
  }

  @Test
  void withoutAChannelForTheAckARewindBecomesARepair() {
    assertThat(verdict(verifier, scores(-1f, -2f, -9f), 3, 0, false)).isEqualTo(new Verdict.Repair(3));
  }

  @Test
  void anEngineThatCannotScoreIsAccepted() {
    assertThat(verdict(verifier, OpenerScore.unscored(), 3, 0, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void scoresForAnotherNumberOfWordsAreNotTrustedAndAccepted() {
    assertThat(verdict(verifier, scores(-20f), 3, 0, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void whenDisabledEveryOpenerIsAccepted() {
    OpenerVerifier off = new OpenerVerifier(new VerifyProperties(false, -8f, List.of(" one:")));
    assertThat(verdict(off, scores(-50f), 1, 0, true)).isEqualTo(new Verdict.Accept(1));
  }

  @Test
  void theBridgeOfATurnIsAlwaysTheSame() {
    assertThat(verifier.bridge("t7")).isEqualTo(verifier.bridge("t7")).isIn(" one:", " two:");
  }

  @Test
  void aBridgeMustStartWithASpaceAndNotEndWithOne() {
    assertThatThrownBy(() -> new VerifyProperties(true, -8f, List.of("sorry:"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyProperties(true, -8f, List.of(" sorry: "))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theThresholdIsALogProbability() {
    assertThatThrownBy(() -> new VerifyProperties(true, 0.5f, List.of(" a:"))).isInstanceOf(IllegalArgumentException.class);
  }
}

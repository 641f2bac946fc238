package dev.overture.cloud.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.cloud.engine.OpenerScore;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenerVerifierTest {

  private final OpenerVerifier verifier =
      new OpenerVerifier(new VerifyProperties(true, -8f, -8f, List.of(" one:", " two:")));

  private static OpenerScore scores(float... words) {
    return OpenerScore.of(words);
  }

  @Test
  void anOpenerWithoutABadWordIsAccepted() {
    assertThat(verifier.verdict(scores(-1f, -7.9f, -2f), 3, 0, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void aBadWordNotYetHeardIsRewoundToTheWordsBeforeIt() {
    assertThat(verifier.verdict(scores(-1f, -2f, -9f, -1f), 4, 2, true)).isEqualTo(new Verdict.Rewind(2));
  }

  @Test
  void aBadWordAlreadyHeardIsRepairedAfterTheWholeOpener() {
    assertThat(verifier.verdict(scores(-1f, -9f, -1f), 3, 2, true)).isEqualTo(new Verdict.Repair(3));
  }

  @Test
  void theFirstBadWordDecides() {
    assertThat(verifier.verdict(scores(-1f, -9f, -1f, -12f), 4, 0, true)).isEqualTo(new Verdict.Rewind(1));
  }

  @Test
  void withoutAChannelForTheAckARewindBecomesARepair() {
    assertThat(verifier.verdict(scores(-1f, -2f, -9f), 3, 0, false)).isEqualTo(new Verdict.Repair(3));
  }

  /** Rewind below -3, repair a heard word only below -6. */
  private final OpenerVerifier twoBars = new OpenerVerifier(new VerifyProperties(true, -3f, -6f, List.of(" one:")));

  @Test
  void aHeardWordBetweenTheTwoBarsIsKeptAndALaterBadWordRewound() {
    assertThat(twoBars.verdict(scores(-4f, -1f, -4f, -1f), 4, 1, true)).isEqualTo(new Verdict.Rewind(2));
    assertThat(twoBars.verdict(scores(-4f, -1f, -1f), 3, 1, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void aHeardWordBelowTheLowerBarIsRepaired() {
    assertThat(twoBars.verdict(scores(-7f, -1f, -4f), 3, 1, true)).isEqualTo(new Verdict.Repair(3));
  }

  @Test
  void theSameWordNotYetHeardIsRewoundAtTheHigherBar() {
    assertThat(twoBars.verdict(scores(-4f, -1f), 2, 0, true)).isEqualTo(new Verdict.Rewind(0));
  }

  @Test
  void withoutARewindChannelEveryWordIsJudgedAsHeard() {
    assertThat(twoBars.verdict(scores(-1f, -4f), 2, 0, false)).isEqualTo(new Verdict.Accept(2));
    assertThat(twoBars.verdict(scores(-1f, -7f), 2, 0, false)).isEqualTo(new Verdict.Repair(2));
  }

  @Test
  void aRepairBarAboveTheRewindBarIsCappedByIt() {
    OpenerVerifier inverted = new OpenerVerifier(new VerifyProperties(true, -6f, -3f, List.of(" one:")));
    assertThat(inverted.verdict(scores(-4f, -1f), 2, 1, true)).isEqualTo(new Verdict.Accept(2));
  }

  @Test
  void anEngineThatCannotScoreIsAccepted() {
    assertThat(verifier.verdict(OpenerScore.unscored(), 3, 0, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void scoresForAnotherNumberOfWordsAreNotTrustedAndAccepted() {
    assertThat(verifier.verdict(scores(-20f), 3, 0, true)).isEqualTo(new Verdict.Accept(3));
  }

  @Test
  void whenDisabledEveryOpenerIsAccepted() {
    OpenerVerifier off = new OpenerVerifier(new VerifyProperties(false, -8f, -8f, List.of(" one:")));
    assertThat(off.verdict(scores(-50f), 1, 0, true)).isEqualTo(new Verdict.Accept(1));
  }

  @Test
  void theBridgeOfATurnIsAlwaysTheSame() {
    assertThat(verifier.bridge("t7")).isEqualTo(verifier.bridge("t7")).isIn(" one:", " two:");
  }

  @Test
  void aBridgeMustStartWithASpaceAndNotEndWithOne() {
    assertThatThrownBy(() -> new VerifyProperties(true, -8f, -8f, List.of("sorry:"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyProperties(true, -8f, -8f, List.of(" sorry: "))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyProperties(true, -8f, -8f, List.of("\u3000sorry:"))) // not a protocol separator
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theThresholdIsALogProbability() {
    assertThatThrownBy(() -> new VerifyProperties(true, 0.5f, -8f, List.of(" a:"))).isInstanceOf(IllegalArgumentException.class);
  }
}

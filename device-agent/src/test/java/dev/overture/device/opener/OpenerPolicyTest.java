package dev.overture.device.opener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class OpenerPolicyTest {

  private static final long MILLIS = 1_000_000L;

  @Test
  void openerCoversTheLatencyPlusOneQueuedWord() {
    OpenerPolicy policy = new OpenerPolicy(1, 12);

    assertEquals(3, policy.targetWords(800 * MILLIS, 2.5)); // 2 words of speech, and one more
    assertEquals(4, policy.targetWords(801 * MILLIS, 2.5)); // a started word counts whole
  }

  @Test
  void shortLatencyGetsTheFewestWords() {
    assertEquals(4, OpenerPolicy.defaults().targetWords(0, 2.5));
  }

  @Test
  void longLatencyGetsTheMostWords() {
    assertEquals(8, OpenerPolicy.defaults().targetWords(60_000 * MILLIS, 2.5));
  }

  @Test
  void boundsMustBeOrderedAndWithinTheProtocol() {
    assertThrows(IllegalArgumentException.class, () -> new OpenerPolicy(0, 4));
    assertThrows(IllegalArgumentException.class, () -> new OpenerPolicy(5, 4));
    assertThrows(IllegalArgumentException.class, () -> new OpenerPolicy(4, OpenerPolicy.PROTOCOL_MAX_WORDS + 1));
  }
}

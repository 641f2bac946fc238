package dev.overture.replay.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworkProfileTest {

  @Test
  void namedProfilesAreFound() {
    assertEquals(60, NetworkProfile.parse("4g").roundTripMillis());
    assertTrue(NetworkProfile.parse("flaky").dropEverySeconds() > 0);
  }

  @Test
  void roundTripProfileIsParsed() {
    NetworkProfile p = NetworkProfile.parse("rtt300");
    assertEquals(300, p.roundTripMillis());
    assertEquals(0, p.jitterMillis());
    assertEquals("rtt300", p.name());
  }

  @Test
  void customProfileTakesEveryKey() {
    NetworkProfile p = NetworkProfile.parse("custom:rtt=250,jitter=30,kbps=800,stall=12s/700ms,drop=90s");
    assertEquals(new NetworkProfile("custom:rtt=250,jitter=30,kbps=800,stall=12s/700ms,drop=90s", 250, 30, 800, 12, 700, 90), p);
  }

  @Test
  void unknownProfileSaysWhatExists() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkProfile.parse("5g-mmwave"));
    assertTrue(e.getMessage().contains("lan") && e.getMessage().contains("custom:"), e.getMessage());
  }

  @Test
  void customKeyTypoIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkProfile.parse("custom:rt=100"));
    assertTrue(e.getMessage().contains("unknown key 'rt'"), e.getMessage());
  }
}

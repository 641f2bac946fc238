package dev.overture.replay.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadTest {

  @Test
  void closedLoopNamesItsUsers() {
    assertEquals(new Load.Closed(3), Load.parse("closed:3"));
  }

  @Test
  void poissonTakesRateAndDevices() {
    assertEquals(new Load.Poisson(0.5, 4), Load.parse("poisson:0.5:4"));
  }

  @Test
  void traceLoadDefaultsToRealTime() {
    assertEquals(new Load.TraceTimes(1, 8), Load.parse("trace"));
  }

  @Test
  void badLoadSaysTheForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Load.parse("burst:9"));
    assertTrue(e.getMessage().contains("closed:N"), e.getMessage());
  }

  @Test
  void zeroRateIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Load.parse("poisson:0"));
  }
}

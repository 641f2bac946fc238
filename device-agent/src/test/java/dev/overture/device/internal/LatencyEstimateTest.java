package dev.overture.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

final class LatencyEstimateTest {

  @Test
  void estimateIsThePriorUntilASampleArrives() {
    assertEquals(400_000_000L, new LatencyEstimate(400_000_000L).nanos());
  }

  @Test
  void sampleMovesTheEstimateByItsWeight() {
    LatencyEstimate estimate = new LatencyEstimate(400_000_000L);

    estimate.add(1_400_000_000L);

    assertEquals(700_000_000L, estimate.nanos()); // 400 + 0.3 * (1400 - 400) ms
  }

  @Test
  void steadySamplesAreApproached() {
    LatencyEstimate estimate = new LatencyEstimate(0);

    for (int i = 0; i < 100; i++) {
      estimate.add(250_000_000L);
    }

    assertEquals(250_000_000L, estimate.nanos(), 1_000);
  }
}

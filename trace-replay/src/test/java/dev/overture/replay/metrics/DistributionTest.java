package dev.overture.replay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistributionTest {

  @Test
  void percentilesOfRecordedValues() {
    Distribution d = new Distribution();
    for (int i = 1; i <= 100; i++) {
      d.record(i);
    }
    Distribution.Percentiles p = d.percentiles();
    assertEquals(100, p.count());
    assertEquals(50, p.p50(), 0.1);
    assertEquals(99, p.p99(), 0.1);
    assertEquals(100, p.max(), 0.1);
  }

  @Test
  void stallLongerThanTheIntervalBackfillsTheSamplesItPrevented() {
    Distribution corrected = new Distribution();
    Distribution raw = new Distribution();
    for (int i = 0; i < 99; i++) {
      corrected.record(10, 100);
      raw.record(10);
    }
    corrected.record(1_000, 100);
    raw.record(1_000);
    assertEquals(10, raw.percentiles().p90(), 0.1);
    assertTrue(corrected.percentiles().p99() > 500, "coordinated omission corrected: " + corrected.percentiles());
    assertEquals(100, corrected.count(), "count is what was measured");
  }
}

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

  @Test
  void aZeroIntervalRecordsTheValueAlone() {
    Distribution d = new Distribution();
    d.record(2_000, 0); // back-to-back turns: no interval to correct for

    assertEquals(2_000, d.percentiles().p50(), 2);
    assertEquals(1, d.count());
  }

  @Test
  void aValueOverAnHourIsRecorded() {
    Distribution d = new Distribution();
    d.record(5_400_000); // 90 minutes of open-loop lateness

    assertEquals(5_400_000, d.percentiles().max(), 5_400);
  }

  @Test
  void repeatedValuesCountEach() {
    Distribution d = new Distribution();
    d.recordRepeated(110, 9); // one turn's nine stalls
    d.record(1_000); // another turn's one

    assertEquals(10, d.count());
    assertEquals(199, d.percentiles().mean(), 1);
  }
}

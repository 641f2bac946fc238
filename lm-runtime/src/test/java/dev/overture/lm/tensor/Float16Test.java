package dev.overture.lm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {
  @Test
  void everyHalfRoundTripsThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = Float16.toFloat(bits);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
      } else {
        assertEquals(bits, Float16.fromFloat(f) & 0xffff, "bits " + Integer.toHexString(bits));
      }
    }
  }

  @Test
  void knownValuesDecode() {
    assertEquals(1f, Float16.toFloat(0x3c00));
    assertEquals(-2f, Float16.toFloat(0xc000));
    assertEquals(65504f, Float16.toFloat(0x7bff));
    assertEquals(0x1p-24f, Float16.toFloat(0x0001));
    assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(0x7c00));
  }

  @Test
  void roundsToNearestEven() {
    // 1 + 2^-11 lies exactly between 1 and the next half (1 + 2^-10): ties go to the even 1.
    assertEquals(0x3c00, Float16.fromFloat(1f + 0x1p-11f));
    assertEquals(0x3c01, Float16.fromFloat(1f + 0x1p-11f + 0x1p-20f));
    assertEquals(0x7c00, Float16.fromFloat(70000f));
  }

  @Test
  void bfloat16KeepsTheTopSixteenBitsRounded() {
    assertEquals(1f, Float16.bf16ToFloat(Float16.floatToBf16(1f)));
    assertEquals(0x3f81, Float16.floatToBf16(Float.intBitsToFloat(0x3f80_8001)) & 0xffff);
    assertEquals(0x3f80, Float16.floatToBf16(Float.intBitsToFloat(0x3f80_8000)) & 0xffff);
  }
}

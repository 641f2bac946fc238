package dev.overture.protocol.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsABurstOfOneSecondsWorth() {
    EventRateLimiter limiter = new EventRateLimiter(3);
    assertTrue(limiter.tryAcquire(0));
    assertTrue(limiter.tryAcquire(0));
    assertTrue(limiter.tryAcquire(0));
    assertFalse(limiter.tryAcquire(0));
  }

  @Test
  void refillsAtTheConfiguredRate() {
    EventRateLimiter limiter = new EventRateLimiter(2);
    limiter.tryAcquire(0);
    limiter.tryAcquire(0);
    assertFalse(limiter.tryAcquire(SECOND / 4));
    assertTrue(limiter.tryAcquire(SECOND / 2));
    assertFalse(limiter.tryAcquire(SECOND / 2));
  }

  @Test
  void neverStoresMoreThanTheBurst() {
    EventRateLimiter limiter = new EventRateLimiter(2);
    limiter.tryAcquire(0);
    assertTrue(limiter.tryAcquire(100 * SECOND));
    assertTrue(limiter.tryAcquire(100 * SECOND));
    assertFalse(limiter.tryAcquire(100 * SECOND));
  }

  @Test
  void aClockGoingBackwardsAddsNothing() {
    EventRateLimiter limiter = new EventRateLimiter(1);
    assertTrue(limiter.tryAcquire(SECOND));
    assertFalse(limiter.tryAcquire(0));
  }

  @Test
  void rateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new EventRateLimiter(0));
  }
}

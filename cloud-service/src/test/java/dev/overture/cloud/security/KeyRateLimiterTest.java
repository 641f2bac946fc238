package dev.overture.cloud.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsAllowedAtOnceAndNoMore() {
    KeyRateLimiter limiter = new KeyRateLimiter(10, 3);
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", 0)).isFalse();
  }

  @Test
  void tokensComeBackAtTheConfiguredRate() {
    KeyRateLimiter limiter = new KeyRateLimiter(10, 1);
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", SECOND / 20)).isFalse();
    assertThat(limiter.tryAcquire("k", SECOND / 10)).isTrue();
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    KeyRateLimiter limiter = new KeyRateLimiter(1, 1);
    assertThat(limiter.tryAcquire("a", 0)).isTrue();
    assertThat(limiter.tryAcquire("b", 0)).isTrue();
    assertThat(limiter.tryAcquire("a", 0)).isFalse();
  }

  @Test
  void retryAfterIsTheWaitForTheNextToken() {
    KeyRateLimiter limiter = new KeyRateLimiter(0.25, 1);
    limiter.tryAcquire("k", 0);
    assertThat(limiter.retryAfterSeconds("k")).isEqualTo(4);
  }
}

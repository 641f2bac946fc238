package dev.overture.cloud.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketsTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsAllowedAtOnceAndNoMore() {
    TokenBuckets limiter = new TokenBuckets(10, 3, 100);
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", 0)).isFalse();
  }

  @Test
  void tokensComeBackAtTheConfiguredRate() {
    TokenBuckets limiter = new TokenBuckets(10, 1, 100);
    assertThat(limiter.tryAcquire("k", 0)).isTrue();
    assertThat(limiter.tryAcquire("k", SECOND / 20)).isFalse();
    assertThat(limiter.tryAcquire("k", SECOND / 10)).isTrue();
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    TokenBuckets limiter = new TokenBuckets(1, 1, 100);
    assertThat(limiter.tryAcquire("a", 0)).isTrue();
    assertThat(limiter.tryAcquire("b", 0)).isTrue();
    assertThat(limiter.tryAcquire("a", 0)).isFalse();
  }

  @Test
  void retryAfterIsTheWaitForTheNextToken() {
    TokenBuckets limiter = new TokenBuckets(0.25, 1, 100);
    limiter.tryAcquire("k", 0);
    assertThat(limiter.retryAfterSeconds("k")).isEqualTo(4);
  }

  @Test
  void aFullTableDropsBucketsThatHaveRefilled() {
    TokenBuckets limiter = new TokenBuckets(1, 1, 2);
    limiter.tryAcquire("a", 0);
    limiter.tryAcquire("b", 0);
    assertThat(limiter.tryAcquire("c", 2 * SECOND)).isTrue(); // a and b refilled: dropped for c
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void newcomersToAFullTableShareOneOverflowBucket() {
    TokenBuckets limiter = new TokenBuckets(1, 1, 2);
    limiter.tryAcquire("a", 0);
    limiter.tryAcquire("b", 0);
    assertThat(limiter.tryAcquire("c", 0)).isTrue();
    assertThat(limiter.tryAcquire("d", 0)).isFalse(); // c took the overflow bucket's token
  }
}

package dev.overture.cloud.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per API key: {@code burst} requests at once, refilled at {@code rate} per
 * second. Thread-safe.
 */
final class KeyRateLimiter {

  private static final class Bucket {
    double tokens;
    long refilledNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledNanos = now;
    }
  }

  private final double ratePerNano;
  private final int burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  KeyRateLimiter(double requestsPerSecond, int burst) {
    this.ratePerNano = requestsPerSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one request's token from {@code key}'s bucket at {@code nowNanos}; false when empty. */
  boolean tryAcquire(String key, long nowNanos) {
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
    synchronized (bucket) {
      long elapsed = Math.max(0, nowNanos - bucket.refilledNanos);
      bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerNano);
      bucket.refilledNanos = nowNanos;
      if (bucket.tokens < 1) {
        return false;
      }
      bucket.tokens -= 1;
      return true;
    }
  }

  /** Seconds until {@code key} has a token again, rounded up, at least 1. */
  long retryAfterSeconds(String key) {
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return 1;
    }
    synchronized (bucket) {
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / (ratePerNano * 1e9)));
    }
  }
}

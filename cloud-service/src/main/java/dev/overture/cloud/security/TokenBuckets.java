package dev.overture.cloud.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (an API key's id, a client address): {@code burst} at once, refilled at
 * {@code rate} per second. At most about {@code maxKeys} buckets are kept, so that a client with
 * many addresses cannot grow memory: a new key that finds the table full first drops the buckets
 * that have refilled (they remember nothing), and if none has, shares one overflow bucket with the
 * other newcomers. Thread-safe.
 */
final class TokenBuckets {

  private static final String OVERFLOW = "\u0000overflow";

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
  private final int maxKeys;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(double perSecond, int burst, int maxKeys) {
    this.ratePerNano = perSecond / 1e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
  }

  /** Takes one token from {@code key}'s bucket at {@code nowNanos}; false when it is empty. */
  boolean tryAcquire(String key, long nowNanos) {
    Bucket bucket = bucket(key, nowNanos);
    synchronized (bucket) {
      refill(bucket, nowNanos);
      if (bucket.tokens < 1) {
        return false;
      }
      bucket.tokens -= 1;
      return true;
    }
  }

  /** Seconds until {@code key} has a token again, rounded up, at least 1. */
  long retryAfterSeconds(String key) {
    Bucket bucket = buckets.containsKey(key) ? buckets.get(key) : buckets.get(OVERFLOW);
    if (bucket == null) {
      return 1;
    }
    synchronized (bucket) {
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / (ratePerNano * 1e9)));
    }
  }

  /** Keys with a bucket now (the overflow bucket included), for tests. */
  int size() {
    return buckets.size();
  }

  private Bucket bucket(String key, long nowNanos) {
    Bucket bucket = buckets.get(key);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= maxKeys) {
      buckets.values().removeIf(other -> {
        synchronized (other) {
          refill(other, nowNanos);
          return other.tokens >= burst;
        }
      });
    }
    return buckets.computeIfAbsent(buckets.size() < maxKeys ? key : OVERFLOW, k -> new Bucket(burst, nowNanos));
  }

  private void refill(Bucket bucket, long nowNanos) {
    long elapsed = Math.max(0, nowNanos - bucket.refilledNanos);
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerNano);
    bucket.refilledNanos = nowNanos;
  }
}

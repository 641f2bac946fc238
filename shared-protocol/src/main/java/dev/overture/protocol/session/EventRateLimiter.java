package dev.overture.protocol.session;

/**
 * The server's check of {@code max_events_per_second}: a token bucket holding at most one second's
 * worth of events, refilled continuously. An event that finds the bucket empty is answered with a
 * non-fatal {@code rate_limited} error and dropped (its turn fails).
 *
 * <p>Not thread-safe; one per connection.
 */
public final class EventRateLimiter {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int eventsPerSecond;
  private double tokens;
  private long lastRefillNanos;
  private boolean started;

  public EventRateLimiter(int eventsPerSecond) {
    if (eventsPerSecond <= 0) {
      throw new IllegalArgumentException("eventsPerSecond <= 0: " + eventsPerSecond);
    }
    this.eventsPerSecond = eventsPerSecond;
    this.tokens = eventsPerSecond;
  }

  /**
   * Takes one event's token at {@code nowNanos} (a monotonic clock such as {@link
   * System#nanoTime()}); returns false when the rate is exceeded.
   */
  public boolean tryAcquire(long nowNanos) {
    if (started) {
      long elapsed = Math.max(0, nowNanos - lastRefillNanos);
      tokens = Math.min(eventsPerSecond, tokens + (double) elapsed * eventsPerSecond / NANOS_PER_SECOND);
    }
    started = true;
    lastRefillNanos = nowNanos;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}

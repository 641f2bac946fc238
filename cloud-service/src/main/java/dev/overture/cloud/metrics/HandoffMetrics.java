package dev.overture.cloud.metrics;

import dev.overture.cloud.admission.AdmissionControl;
import dev.overture.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The service's own meters (Micrometer; Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code overture.sessions.open} [{@code overture_sessions_open}]: WebSocket sessions started
 *       and not yet ended, resumable ones included;
 *   <li>{@code overture.turns} [{@code overture_turns_total}], tag {@code status}: turns ended, as
 *       {@code completed}, {@code truncated}, {@code cancelled}, {@code failed}, or {@code
 *       abandoned} (the session ended first); an OpenAI-compatible completion is one turn too, its
 *       request standing for the commit;
 *   <li>{@code overture.turn.first.word} [{@code overture_turn_first_word_seconds}]: from the
 *       opener commit to the first continuation delta sent (histogram, p50/p90/p99);
 *   <li>{@code overture.continuation.tokens.per.second} [{@code
 *       overture_continuation_tokens_per_second}]: generation speed of each reply;
 *   <li>{@code overture.verdicts} [{@code overture_verdicts_total}], tag {@code kind}: {@code
 *       accept}, {@code rewind}, {@code repair};
 *   <li>{@code overture.errors} [{@code overture_errors_total}], tag {@code code}: every typed
 *       error the service reports, by protocol code (error events, failed turns, HTTP errors);
 *   <li>{@code overture.auth.throttled} [{@code overture_auth_throttled_total}]: failed
 *       authentications answered 429 because their client address failed too often (also counted
 *       in {@code overture.errors} as {@code rate_limited});
 *   <li>{@code overture.engine.queue.length} [{@code overture_engine_queue_length}] and {@code
 *       overture.engine.active.turns} [{@code overture_engine_active_turns}]: the admission queue
 *       and the turns holding an engine slot.
 * </ul>
 *
 * <p>Thread-safe.
 */
@Component
public final class HandoffMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger openSessions = new AtomicInteger();
  private final Timer firstWord;
  private final DistributionSummary tokensPerSecond;

  public HandoffMetrics(MeterRegistry registry, AdmissionControl admission) {
    this.registry = registry;
    Gauge.builder("overture.sessions.open", openSessions, AtomicInteger::get)
        .description("WebSocket handoff sessions open (resumable ones included)")
        .register(registry);
    Gauge.builder("overture.engine.queue.length", admission, AdmissionControl::queued)
        .description("Turns waiting for an engine slot")
        .register(registry);
    Gauge.builder("overture.engine.active.turns", admission, AdmissionControl::active)
        .description("Turns holding an engine slot")
        .register(registry);
    this.firstWord =
        Timer.builder("overture.turn.first.word")
            .description("Opener commit to the first continuation delta sent")
            .publishPercentiles(0.5, 0.9, 0.99)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    this.tokensPerSecond =
        DistributionSummary.builder("overture.continuation.tokens.per.second")
            .description("Generation speed of each reply")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  public void sessionOpened() {
    openSessions.incrementAndGet();
  }

  public void sessionClosed() {
    openSessions.decrementAndGet();
  }

  /** Sessions open now. */
  public int openSessions() {
    return openSessions.get();
  }

  /** A turn ended: {@code completed}, {@code truncated}, {@code cancelled}, {@code failed} or {@code abandoned}. */
  public void turnEnded(String status) {
    Counter.builder("overture.turns").tag("status", status).register(registry).increment();
  }

  public void firstWord(long nanos) {
    firstWord.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void tokensPerSecond(double rate) {
    tokensPerSecond.record(rate);
  }

  /** A verdict on an opener: {@code accept}, {@code rewind} or {@code repair}. */
  public void verdict(String kind) {
    Counter.builder("overture.verdicts").tag("kind", kind).register(registry).increment();
  }

  /** A failed authentication refused with 429: its address failed too often. */
  public void authThrottled() {
    Counter.builder("overture.auth.throttled")
        .description("Failed authentications refused because their client address failed too often")
        .register(registry)
        .increment();
  }

  public void error(ErrorCode code) {
    Counter.builder("overture.errors").tag("code", code.wireName()).register(registry).increment();
  }
}

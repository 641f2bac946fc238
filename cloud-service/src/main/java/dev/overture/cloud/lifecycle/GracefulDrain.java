package dev.overture.cloud.lifecycle;

import dev.overture.cloud.admission.AdmissionControl;
import dev.overture.cloud.handoff.HandoffSessions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Shuts the handoff service down gracefully, before the web server's own graceful shutdown: new
 * commits are refused ({@code overloaded}: devices complete locally), every session gets {@code
 * session.go_away}, running turns drain for up to the drain timeout, then every session ends and
 * its socket closes.
 */
@Component
final class GracefulDrain implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GracefulDrain.class);

  private final HandoffSessions sessions;
  private final AdmissionControl admission;
  private final Duration drainTimeout;
  private volatile boolean running;

  GracefulDrain(HandoffSessions sessions, AdmissionControl admission, LifecycleProperties properties) {
    this.sessions = sessions;
    this.admission = admission;
    this.drainTimeout = properties.drainTimeout();
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    long started = System.nanoTime();
    admission.drain(); // every endpoint: new commits, one-shot requests and completions get overloaded
    sessions.goAway(drainTimeout, "the service is shutting down");
    log.info("draining: {} sessions open, {} turns running", sessions.open(), admission.active() + admission.queued());
    long deadline = started + drainTimeout.toNanos();
    while (admission.active() + admission.queued() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int unfinished = admission.active() + admission.queued();
    sessions.endAll("the service is shutting down");
    log.info(
        "drained in {} ms{}",
        (System.nanoTime() - started) / 1_000_000,
        unfinished > 0 ? "; " + unfinished + " turns cut off" : "");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Only a real shutdown drains: a context that is merely paused (and restarted later) keeps its
   * sessions.
   */
  @Override
  public boolean isPauseable() {
    return false;
  }

  /** Stops before the web server stops taking connections and waits for open ones. */
  @Override
  public int getPhase() {
    return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
  }
}

package dev.overture.cloud.admission;

import dev.overture.cloud.engine.EngineOverloadedException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * The engine pool's gate: at most {@code maxConcurrentTurns} turns hold a {@link Permit} at once,
 * at most {@code queueLength} more wait for one, and a turn that finds both full is refused at
 * once with {@link EngineOverloadedException}. Never an unbounded queue.
 *
 * <p>Thread-safe; waiters are served first come, first served.
 */
@Component
public final class AdmissionControl {

  private volatile boolean draining;
  private final int maxActive;
  private final int maxQueued;
  private final Deque<MonoSink<Permit>> waiting = new ArrayDeque<>();
  private int active;

  public AdmissionControl(AdmissionProperties properties) {
    this.maxActive = properties.maxConcurrentTurns();
    this.maxQueued = properties.queueLength();
  }

  /**
   * A permit, granted on subscription when a slot is free, later when a queued turn's slot frees
   * up, or refused with {@link EngineOverloadedException} when the queue is full. Cancelling the
   * subscription leaves the queue; a permit granted to a cancelled subscriber is returned.
   */
  public Mono<Permit> acquire() {
    // A permit emitted after the subscriber cancelled is discarded, not lost: it goes back.
    return Mono.create(this::admit).doOnDiscard(Permit.class, Permit::release);
  }

  /**
   * From now on every new request is refused with {@link EngineOverloadedException}: the service
   * is shutting down. Permits granted and turns already waiting go on, so that they drain.
   */
  public void drain() {
    draining = true;
  }

  /** Whether {@link #drain} was called. */
  public boolean draining() {
    return draining;
  }

  private void admit(MonoSink<Permit> sink) {
    if (draining) {
      sink.error(new EngineOverloadedException("the service is shutting down"));
      return;
    }
    Permit granted = null;
    boolean queued = false;
    synchronized (this) {
      if (active < maxActive) {
        active++;
        granted = new Permit(this);
      } else if (waiting.size() < maxQueued) {
        waiting.addLast(sink);
        sink.onCancel(() -> leaveQueue(sink));
        queued = true;
      }
    }
    // Decided under the lock: a release may take the sink off the queue (and grant it a slot)
    // before this line, and must not find it refused as well.
    if (granted != null) {
      grant(sink, granted);
    } else if (!queued) {
      sink.error(
          new EngineOverloadedException(
              "all " + maxActive + " engine slots are busy and " + maxQueued + " turns already wait"));
    }
  }

  private synchronized void leaveQueue(MonoSink<Permit> sink) {
    waiting.remove(sink);
  }

  private static void grant(MonoSink<Permit> sink, Permit permit) {
    sink.success(permit);
  }

  void release() {
    MonoSink<Permit> next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        active--;
        return;
      }
    }
    grant(next, new Permit(this)); // the slot passes straight to the next turn
  }

  /** Turns holding a permit now. */
  public synchronized int active() {
    return active;
  }

  /** Turns waiting for a permit now. */
  public synchronized int queued() {
    return waiting.size();
  }

  /** Whether a turn asking now would be refused: every slot taken and the queue full. */
  public synchronized boolean saturated() {
    return active >= maxActive && waiting.size() >= maxQueued;
  }

  /** The most turns that may hold a permit at once. */
  public int capacity() {
    return maxActive;
  }
}

package dev.overture.cloud.handoff;

import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A transport's outgoing queue with a bound: items wait until the transport takes them (as fast
 * as the client reads), at most {@code capacity} at a time. One item more is refused, so a client
 * that stops reading costs a bounded amount of memory; only the last item ({@link #finish}) may
 * go beyond the bound. Thread-safe.
 */
final class BoundedOutbox<T> {

  private final Sinks.Many<T> items = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicInteger queued = new AtomicInteger();
  private final int capacity;
  private boolean finished; // guarded by this

  BoundedOutbox(int capacity) {
    this.capacity = capacity;
  }

  /** What the transport writes, in order; an item leaves the count when the transport takes it. */
  Flux<T> items() {
    return items.asFlux().doOnNext(item -> queued.decrementAndGet());
  }

  /** Queues {@code item}; false when the queue is full (nothing is queued). Ignored once finished. */
  synchronized boolean offer(T item) {
    if (finished) {
      return true;
    }
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      return false;
    }
    items.tryEmitNext(item);
    return true;
  }

  synchronized boolean finished() {
    return finished;
  }

  /** Queues a last item (may be null), beyond the bound if need be, and ends the queue. */
  synchronized void finish(T last) {
    if (finished) {
      return;
    }
    finished = true;
    if (last != null) {
      items.tryEmitNext(last);
    }
    items.tryEmitComplete();
  }
}

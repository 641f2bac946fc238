package dev.overture.cloud.handoff;

import dev.overture.protocol.ServerEvent;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The response of one {@code POST /v1/continue}: the turn's server events as they are produced,
 * in a bounded queue that the HTTP response drains as the client reads.
 */
final class HttpEventStream implements Connection {

  /** One server event and its frame. */
  record Frame(ServerEvent event, String text) {}

  private final Sinks.Many<Frame> frames = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicInteger queued = new AtomicInteger();
  private final int capacity;
  private boolean finished; // guarded by this

  HttpEventStream(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The frames; {@code onSubscribe} starts the turn, and cancelling (the client went away) calls
   * {@code onCancel}.
   */
  Flux<Frame> frames(Runnable onSubscribe, Runnable onCancel) {
    return frames
        .asFlux()
        .doOnSubscribe(subscription -> onSubscribe.run())
        .doOnNext(frame -> queued.decrementAndGet())
        .doOnCancel(onCancel);
  }

  @Override
  public synchronized boolean send(ServerEvent event, String frame) {
    if (finished) {
      return true;
    }
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      return false;
    }
    frames.tryEmitNext(new Frame(event, frame));
    return true;
  }

  @Override
  public synchronized void finish(ServerEvent event, String frame) {
    if (finished) {
      return;
    }
    finished = true;
    if (frame != null) {
      frames.tryEmitNext(new Frame(event, frame));
    }
    frames.tryEmitComplete();
  }
}

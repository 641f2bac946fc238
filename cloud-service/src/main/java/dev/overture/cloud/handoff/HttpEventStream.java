package dev.overture.cloud.handoff;

import dev.overture.protocol.ServerEvent;
import reactor.core.publisher.Flux;

/**
 * The response of one {@code POST /v1/continue}: the turn's server events as they are produced,
 * in a {@link BoundedOutbox} that the HTTP response drains as the client reads.
 */
final class HttpEventStream implements Connection {

  /** One server event and its frame. */
  record Frame(ServerEvent event, String text) {}

  private final BoundedOutbox<Frame> frames;

  HttpEventStream(int capacity) {
    this.frames = new BoundedOutbox<>(capacity);
  }

  /**
   * The frames; {@code onSubscribe} starts the turn, and cancelling (the client went away) calls
   * {@code onCancel}.
   */
  Flux<Frame> frames(Runnable onSubscribe, Runnable onCancel) {
    return frames.items().doOnSubscribe(subscription -> onSubscribe.run()).doOnCancel(onCancel);
  }

  @Override
  public boolean send(ServerEvent event, String frame) {
    return frames.offer(new Frame(event, frame));
  }

  @Override
  public void finish(ServerEvent event, String frame) {
    frames.finish(frame == null ? null : new Frame(event, frame));
  }

  @Override
  public boolean finished() {
    return frames.finished();
  }
}

package dev.overture.protocol.internal;

import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.Event;
import dev.overture.protocol.ProtocolException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One side's numbered outbound events: the next sequence number, the replay buffer of recent
 * events, and the resend cursor after a resume.
 */
final class OutboundStream<O extends Event> {

  private final ArrayDeque<O> buffer = new ArrayDeque<>();
  private int capacity;
  private long lastSent;
  /** The next sequence number to resend, or 0 when no replay is pending. */
  private long replayNext;

  OutboundStream(int capacity) {
    this.capacity = capacity;
  }

  long lastSent() {
    return lastSent;
  }

  /** The sequence number the next numbered event must carry (a resend while a replay is pending). */
  long nextSeq() {
    return replayNext > 0 ? replayNext : lastSent + 1;
  }

  /**
   * Whether {@code event} resends a buffered event during a replay; throws if it is neither that
   * resend nor, without a replay, the next new event.
   */
  boolean isResend(O event) throws ProtocolException {
    long expected = nextSeq();
    if (event.seq() != expected) {
      throw ProtocolException.fatalAbout(
          event,
          ErrorCode.SEQUENCE_MISMATCH,
          (replayNext > 0 ? "replay pending: expected resend of seq " : "expected seq ") + expected);
    }
    if (replayNext == 0) {
      return false;
    }
    if (!event.equals(buffered(expected))) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.SEQUENCE_MISMATCH, "a resend must repeat the original event");
    }
    return true;
  }

  void append(O event) {
    buffer.addLast(event);
    lastSent = event.seq();
    trim();
  }

  void resent() {
    replayNext = replayNext < lastSent ? replayNext + 1 : 0;
  }

  /** Whether every event after {@code peerConsumed} is still buffered. */
  boolean canReplayAfter(long peerConsumed) {
    return peerConsumed >= lastSent || (!buffer.isEmpty() && buffer.peekFirst().seq() <= peerConsumed + 1);
  }

  void beginReplay(long peerConsumed) {
    replayNext = peerConsumed < lastSent ? peerConsumed + 1 : 0;
  }

  void cancelReplay() {
    replayNext = 0;
  }

  /** The events still to resend, in order. */
  List<O> pending() {
    List<O> pending = new ArrayList<>();
    if (replayNext > 0) {
      for (O event : buffer) {
        if (event.seq() >= replayNext) {
          pending.add(event);
        }
      }
    }
    return pending;
  }

  void capacity(int capacity) {
    this.capacity = capacity;
    trim();
  }

  private O buffered(long seq) {
    for (O event : buffer) {
      if (event.seq() == seq) {
        return event;
      }
    }
    return null;
  }

  private void trim() {
    while (buffer.size() > capacity) {
      buffer.removeFirst();
    }
  }
}

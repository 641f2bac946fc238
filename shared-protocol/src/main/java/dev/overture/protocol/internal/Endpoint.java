package dev.overture.protocol.internal;

import dev.overture.protocol.ConnectionEvent;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.Event;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionResumed;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.session.SessionPhase;
import java.util.List;

/**
 * One side of a session: the codec, the {@link Conversation} rules, and the sequence numbers of
 * both directions, including replay after a resume. {@code O} is what this side sends, {@code I}
 * what it receives. The public state machines ({@code DeviceSession}, {@code CloudSession}) are
 * thin typed views of it.
 */
public final class Endpoint<O extends Event, I extends Event> {

  /** Decodes one inbound frame with the codec in force. */
  public interface Decoding<I extends Event> {
    I decode(EventCodec codec) throws ProtocolException;
  }

  private final boolean acceptsConnections;
  private final Conversation conversation;
  private final OutboundStream<O> out;
  private EventCodec codec;
  private long lastReceived;
  /** The peer's last consumed seq from a received {@code session.resume}, until answered. */
  private long peerResumePoint = -1;

  /**
   * @param acceptsConnections whether this side receives the first frame of each connection (the
   *     cloud), which must open the session
   */
  public Endpoint(EventCodec codec, boolean acceptsConnections) {
    this.acceptsConnections = acceptsConnections;
    this.codec = codec;
    this.conversation = new Conversation(codec.limits());
    this.out = new OutboundStream<>(codec.limits().replayBufferEvents());
  }

  public Conversation conversation() {
    return conversation;
  }

  public EventCodec codec() {
    return codec;
  }

  public long nextSeq() {
    return out.nextSeq();
  }

  public long lastReceivedSeq() {
    return lastReceived;
  }

  public List<O> pendingReplay() {
    return out.pending();
  }

  /**
   * Starts a one-shot session ({@code POST /v1/continue}): records the client events the request
   * stands for, without sequence numbers.
   */
  public void startOneShot(List<? extends Event> impliedEvents) throws ProtocolException {
    for (Event event : impliedEvents) {
      conversation.apply(event);
      adoptLimits(event);
    }
    conversation.markOneShot();
  }

  /** Checks, records and encodes an outbound event; a rejected event changes nothing. */
  public String send(O event) throws ProtocolException {
    String frame = codec.encode(event);
    boolean numbered = !(event instanceof ConnectionEvent);
    if (numbered && out.isResend(event)) {
      out.resent();
      return frame;
    }
    if (event instanceof SessionResume
        && ((SessionResume) event).lastServerSeq() != lastReceived) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.SEQUENCE_MISMATCH, "last_server_seq must be " + lastReceived);
    }
    if (event instanceof SessionResumed
        && ((SessionResumed) event).lastClientSeq() != lastReceived) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.SEQUENCE_MISMATCH, "last_client_seq must be " + lastReceived);
    }
    conversation.apply(event);
    if (numbered) {
      out.append(event);
    }
    if (event instanceof SessionResumed) {
      out.beginReplay(peerResumePoint);
      peerResumePoint = -1;
    }
    adoptLimits(event);
    return frame;
  }

  /**
   * Decodes, checks and records an inbound frame. A rejected frame still consumes its sequence
   * number when it could be read; a fatal rejection closes the session.
   */
  public I receive(Decoding<I> decoding) throws ProtocolException {
    // The first frame of a connection opens the session; if it cannot, the session is over.
    boolean opening = acceptsConnections && conversation.phase() == SessionPhase.NEW;
    I event;
    try {
      event = decoding.decode(codec);
    } catch (ProtocolException e) {
      if (e.rejectedSeq().isPresent() && e.rejectedSeq().getAsLong() > 0) {
        consume(e.rejectedSeq().getAsLong(), e.inReplyTo());
      }
      throw closeIfFatal(opening ? Conversation.openingFailure(e) : e);
    }
    boolean numbered = event.seq() > 0;
    if (numbered) {
      consume(event.seq(), event.eventId());
    }
    try {
      if (opening) {
        conversation.requireOpening(event); // errors and unknown types too, which apply() lets by
      }
      conversation.apply(event);
      resumeReplay(event);
    } catch (ProtocolException e) {
      throw closeIfFatal(e);
    }
    adoptLimits(event);
    return event;
  }

  public void connectionLost() {
    conversation.connectionLost();
    out.cancelReplay();
    peerResumePoint = -1;
  }

  private void consume(long seq, String eventId) throws ProtocolException {
    if (seq != lastReceived + 1) {
      throw closeIfFatal(
          new ProtocolException(
              ErrorCode.SEQUENCE_MISMATCH,
              "expected seq " + (lastReceived + 1) + ", got " + seq,
              true,
              eventId,
              seq));
    }
    lastReceived = seq;
  }

  /** After a resume handshake event: checks the peer's resume point and schedules the replay. */
  private void resumeReplay(Event event) throws ProtocolException {
    long peerConsumed;
    if (event instanceof SessionResume) {
      peerConsumed = ((SessionResume) event).lastServerSeq();
    } else if (event instanceof SessionResumed) {
      peerConsumed = ((SessionResumed) event).lastClientSeq();
    } else {
      return;
    }
    if (peerConsumed > out.lastSent()) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.SEQUENCE_MISMATCH, "only " + out.lastSent() + " events were sent");
    }
    if (!out.canReplayAfter(peerConsumed)) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.REPLAY_UNAVAILABLE, "events after " + peerConsumed + " are gone");
    }
    if (event instanceof SessionResumed) {
      out.beginReplay(peerConsumed);
    } else {
      peerResumePoint = peerConsumed;
    }
  }

  private void adoptLimits(Event event) {
    if (event instanceof SessionStarted) {
      codec = codec.withLimits(((SessionStarted) event).limits());
      if (acceptsConnections) {
        codec = codec.acceptingDefaultFrames(); // the device may have pipelined under the defaults
      }
      out.capacity(codec.limits().replayBufferEvents());
    }
  }

  private ProtocolException closeIfFatal(ProtocolException e) {
    if (e.fatal() && conversation.phase() != SessionPhase.CLOSED) {
      conversation.close();
    }
    return e;
  }
}

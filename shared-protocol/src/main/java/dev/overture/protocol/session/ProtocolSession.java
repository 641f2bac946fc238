package dev.overture.protocol.session;

import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.Event;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.internal.Endpoint;
import dev.overture.protocol.internal.OneShot;
import java.util.List;

/**
 * One side's protocol state machine for one session: every event the side sends passes {@link
 * #send}, every frame it receives passes {@link #receive}, and both reject events that break the
 * field rules, the ordering rules or the sequence numbering (see docs/protocol.md). A rejected event
 * changes nothing, except that a received numbered frame whose sequence number could be read still
 * consumes it; a fatal rejection on receipt closes the session.
 *
 * <p>The session outlives connections: after {@link #connectionLost()} it can be resumed, and
 * {@link #pendingReplay()} lists what this side must resend once the resume handshake is through.
 *
 * <p>Not thread-safe: drive it from one thread or under one lock.
 *
 * @param <O> the events this side sends
 * @param <I> the events this side receives
 */
public abstract sealed class ProtocolSession<O extends Event, I extends Event>
    permits DeviceSession, CloudSession {

  private final Endpoint<O, I> endpoint;

  /** @param acceptsConnections whether this side receives each connection's first frame (the cloud) */
  ProtocolSession(EventCodec codec, boolean acceptsConnections) {
    this.endpoint = new Endpoint<>(codec, acceptsConnections);
  }

  /** Decodes a frame of the other side. */
  abstract I decode(EventCodec codec, String frame) throws ProtocolException;

  /** Decodes a frame of the other side given as UTF-8 bytes. */
  abstract I decode(EventCodec codec, byte[] frame) throws ProtocolException;

  /** Starts from a one-shot {@code POST /v1/continue} request instead of a handshake. */
  final void startOneShot(ContinueRequest request) throws ProtocolException {
    endpoint.startOneShot(OneShot.impliedEvents(request, endpoint.codec().limits()));
  }

  final boolean goAway() {
    return endpoint.conversation().goAway();
  }

  /**
   * Checks and records {@code event} and returns its frame.
   *
   * @throws ProtocolException if the event must not be sent now; nothing is recorded then
   */
  public final String send(O event) throws ProtocolException {
    return endpoint.send(event);
  }

  /**
   * Decodes, checks and records one frame from the other side.
   *
   * @throws ProtocolException if the frame is rejected; a {@linkplain ProtocolException#fatal()
   *     fatal} one ends the session
   */
  public final I receive(String frame) throws ProtocolException {
    return endpoint.receive(codec -> decode(codec, frame));
  }

  /** Like {@link #receive(String)}, for a frame given as UTF-8 bytes. */
  public final I receive(byte[] frame) throws ProtocolException {
    return endpoint.receive(codec -> decode(codec, frame));
  }

  /** The connection dropped; a started session becomes resumable. */
  public final void connectionLost() {
    endpoint.connectionLost();
  }

  /** The events to resend, in order, once the resume handshake is through; empty otherwise. */
  public final List<O> pendingReplay() {
    return endpoint.pendingReplay();
  }

  /** The {@code seq} the next numbered event must carry. */
  public final long nextSeq() {
    return endpoint.nextSeq();
  }

  /** The highest sequence number received from the other side, for the resume handshake. */
  public final long lastReceivedSeq() {
    return endpoint.lastReceivedSeq();
  }

  public final SessionPhase phase() {
    return endpoint.conversation().phase();
  }

  /** The limits in force: the defaults until {@code session.started} announced others. */
  public final ProtocolLimits limits() {
    return endpoint.codec().limits();
  }

  /** The handle for {@code session.resume}, or null before {@code session.started}. */
  public final String resumeHandle() {
    return endpoint.conversation().resumeHandle();
  }

  /** The id of the last turn started, or null. */
  public final String currentTurnId() {
    return endpoint.conversation().currentTurnId();
  }

  /** The current turn's reply as far as this side has seen it: kept opener words, continuation. */
  public final String currentReply() {
    return endpoint.conversation().currentReply();
  }

  /**
   * The reply of turn {@code turnId} as far as this side has seen it, while the session still
   * tracks the turn (the current one, and older ones the server still owes events); else null. The
   * cloud's {@code turn.truncated} text is {@code Words.prefix(reply(turnId), wordsHeard)}.
   */
  public final String reply(String turnId) {
    return endpoint.conversation().reply(turnId);
  }
}

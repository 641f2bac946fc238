package dev.overture.protocol.session;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.internal.Endpoint;
import dev.overture.protocol.internal.OneShot;
import java.util.List;

/**
 * The device side's protocol state machine for one session: every event the device sends passes
 * {@link #send}, every frame it receives passes {@link #receive}, and both reject events that
 * break the field rules, the order rules or the sequence numbering. The session outlives
 * connections: after {@link #connectionLost()}, send {@code session.resume} on the new connection
 * and, once {@code session.resumed} arrived, resend {@link #pendingReplay()} before anything new.
 *
 * <p>Not thread-safe: drive it from one thread or under one lock.
 */
public final class DeviceSession {

  private final Endpoint<ClientEvent, ServerEvent> endpoint;

  /** A new session; the first event to send is {@code session.start}. */
  public DeviceSession(EventCodec codec) {
    this.endpoint = new Endpoint<>(codec);
  }

  /**
   * A session standing for one {@code POST /v1/continue} request already sent: it checks the
   * response events, which are numbered from 1.
   */
  public static DeviceSession forContinue(EventCodec codec, ContinueRequest request)
      throws ProtocolException {
    DeviceSession session = new DeviceSession(codec);
    session.endpoint.startOneShot(OneShot.impliedEvents(request, codec.limits()));
    return session;
  }

  /**
   * Checks and records {@code event} and returns its frame.
   *
   * @throws ProtocolException if the event must not be sent now; nothing is recorded then
   */
  public String send(ClientEvent event) throws ProtocolException {
    return endpoint.send(event);
  }

  /**
   * Decodes, checks and records one frame from the cloud.
   *
   * @throws ProtocolException if the frame is rejected; a {@linkplain ProtocolException#fatal()
   *     fatal} one ends the session
   */
  public ServerEvent receive(String frame) throws ProtocolException {
    return endpoint.receive(codec -> codec.decodeServer(frame));
  }

  /** Like {@link #receive(String)}, for a frame given as UTF-8 bytes. */
  public ServerEvent receive(byte[] frame) throws ProtocolException {
    return endpoint.receive(codec -> codec.decodeServer(frame));
  }

  /** The connection dropped; a started session becomes resumable. */
  public void connectionLost() {
    endpoint.connectionLost();
  }

  /** The events to resend, in order, after {@code session.resumed}; empty otherwise. */
  public List<ClientEvent> pendingReplay() {
    return endpoint.pendingReplay();
  }

  /** The {@code seq} the next numbered event must carry. */
  public long nextSeq() {
    return endpoint.nextSeq();
  }

  /** The highest server sequence number consumed, for {@code session.resume}. */
  public long lastReceivedSeq() {
    return endpoint.lastReceivedSeq();
  }

  public SessionPhase phase() {
    return endpoint.conversation().phase();
  }

  /** The limits in force: the defaults until {@code session.started} announced others. */
  public ProtocolLimits limits() {
    return endpoint.codec().limits();
  }

  /** The handle for {@code session.resume}, or null before {@code session.started}. */
  public String resumeHandle() {
    return endpoint.conversation().resumeHandle();
  }

  /** The id of the last turn started, or null. */
  public String currentTurnId() {
    return endpoint.conversation().currentTurnId();
  }

  /** The current turn's reply as received so far: kept opener words, then the continuation. */
  public String currentReply() {
    return endpoint.conversation().currentReply();
  }

  /** Whether the server announced {@code session.go_away} on this connection. */
  public boolean goAwayReceived() {
    return endpoint.conversation().goAway();
  }
}

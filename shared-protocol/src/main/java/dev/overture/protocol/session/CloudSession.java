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
 * The cloud side's protocol state machine for one session: every frame the cloud receives passes
 * {@link #receive}, every event it sends passes {@link #send}, and both reject events that break
 * the field rules, the order rules or the sequence numbering. The session outlives connections:
 * after {@link #connectionLost()}, a {@code session.resume} on a new connection goes to {@link
 * #receive}; answer it with {@code session.resumed}, then resend {@link #pendingReplay()} before
 * anything new.
 *
 * <p>When {@link #receive} rejects a frame, answer with {@code ErrorEvent.of(id, failure)}; when
 * the rejected event belonged to a running turn, end that turn with {@code continuation.done}
 * ({@code failed}); when the failure is fatal, close the connection after the error.
 *
 * <p>Not thread-safe: drive it from one thread or under one lock.
 */
public final class CloudSession {

  private final Endpoint<ServerEvent, ClientEvent> endpoint;

  /** A new session; the first frame to receive is {@code session.start} or {@code session.resume}. */
  public CloudSession(EventCodec codec) {
    this.endpoint = new Endpoint<>(codec);
  }

  /**
   * A session standing for one {@code POST /v1/continue} request: the turn is started and its
   * opener committed; the response's events are numbered from 1.
   */
  public static CloudSession forContinue(EventCodec codec, ContinueRequest request)
      throws ProtocolException {
    CloudSession session = new CloudSession(codec);
    session.endpoint.startOneShot(OneShot.impliedEvents(request, codec.limits()));
    return session;
  }

  /**
   * Checks and records {@code event} and returns its frame.
   *
   * @throws ProtocolException if the event must not be sent now; nothing is recorded then
   */
  public String send(ServerEvent event) throws ProtocolException {
    return endpoint.send(event);
  }

  /**
   * Decodes, checks and records one frame from the device.
   *
   * @throws ProtocolException if the frame is rejected; a {@linkplain ProtocolException#fatal()
   *     fatal} one ends the session
   */
  public ClientEvent receive(String frame) throws ProtocolException {
    return endpoint.receive(codec -> codec.decodeClient(frame));
  }

  /** Like {@link #receive(String)}, for a frame given as UTF-8 bytes. */
  public ClientEvent receive(byte[] frame) throws ProtocolException {
    return endpoint.receive(codec -> codec.decodeClient(frame));
  }

  /** The connection dropped; a started session becomes resumable. */
  public void connectionLost() {
    endpoint.connectionLost();
  }

  /** The events to resend, in order, after sending {@code session.resumed}; empty otherwise. */
  public List<ServerEvent> pendingReplay() {
    return endpoint.pendingReplay();
  }

  /** The {@code seq} the next numbered event must carry. */
  public long nextSeq() {
    return endpoint.nextSeq();
  }

  /** The highest client sequence number consumed, for {@code session.resumed}. */
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

  /** The resume handle this session announced, or null before {@code session.started}. */
  public String resumeHandle() {
    return endpoint.conversation().resumeHandle();
  }

  /** The id of the last turn started, or null. */
  public String currentTurnId() {
    return endpoint.conversation().currentTurnId();
  }

  /** The current turn's reply as sent so far: kept opener words, then the continuation. */
  public String currentReply() {
    return endpoint.conversation().currentReply();
  }
}

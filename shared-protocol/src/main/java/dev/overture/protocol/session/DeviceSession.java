package dev.overture.protocol.session;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.codec.EventCodec;

/**
 * The device side's protocol state machine ({@link ProtocolSession}): it sends client events and
 * receives server frames. After a dropped connection, send {@code session.resume} (with {@link
 * #resumeHandle()} and {@link #lastReceivedSeq()}) on the new connection, and once {@code
 * session.resumed} arrived, resend {@link #pendingReplay()} before anything new.
 */
public final class DeviceSession extends ProtocolSession<ClientEvent, ServerEvent> {

  /** A new session; the first event to send is {@code session.start}. */
  public DeviceSession(EventCodec codec) {
    super(codec, false);
  }

  /**
   * A session standing for one {@code POST /v1/continue} request already sent: it checks the
   * response events, which are numbered from 1.
   */
  public static DeviceSession forContinue(EventCodec codec, ContinueRequest request)
      throws ProtocolException {
    DeviceSession session = new DeviceSession(codec);
    session.startOneShot(request);
    return session;
  }

  @Override
  ServerEvent decode(EventCodec codec, String frame) throws ProtocolException {
    return codec.decodeServer(frame);
  }

  @Override
  ServerEvent decode(EventCodec codec, byte[] frame) throws ProtocolException {
    return codec.decodeServer(frame);
  }

  /** Whether the server announced {@code session.go_away} on this connection. */
  public boolean goAwayReceived() {
    return goAway();
  }
}

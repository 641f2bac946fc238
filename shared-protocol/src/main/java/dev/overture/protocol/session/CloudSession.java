package dev.overture.protocol.session;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.codec.EventCodec;

/**
 * The cloud side's protocol state machine ({@link ProtocolSession}): it receives client frames
 * and sends server events. After a dropped connection, a {@code session.resume} on a new
 * connection goes to {@link #receive}; answer it with {@code session.resumed} (naming {@link
 * #lastReceivedSeq()}), then resend {@link #pendingReplay()} before anything new.
 *
 * <p>When {@link #receive} rejects a frame, answer with {@code ErrorEvent.of(id, failure)}; when
 * the rejected event belonged to a running turn, end that turn with {@code continuation.done}
 * ({@code failed}); when the failure is fatal, close the connection after the error.
 */
public final class CloudSession extends ProtocolSession<ServerEvent, ClientEvent> {

  /** A new session; the first frame to receive is {@code session.start} or {@code session.resume}. */
  public CloudSession(EventCodec codec) {
    super(codec, true);
  }

  /**
   * A session standing for one {@code POST /v1/continue} request: the turn is started and its
   * opener committed; the response's events are numbered from 1.
   */
  public static CloudSession forContinue(EventCodec codec, ContinueRequest request)
      throws ProtocolException {
    CloudSession session = new CloudSession(codec);
    session.startOneShot(request);
    return session;
  }

  @Override
  ClientEvent decode(EventCodec codec, String frame) throws ProtocolException {
    return codec.decodeClient(frame);
  }

  @Override
  ClientEvent decode(EventCodec codec, byte[] frame) throws ProtocolException {
    return codec.decodeClient(frame);
  }
}

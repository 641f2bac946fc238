package dev.overture.cloud.handoff;

import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.overture.cloud.engine.ContextTooLargeException;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.metrics.HandoffMetrics;
import dev.overture.cloud.security.HttpErrors;
import dev.overture.cloud.security.RequestBodies;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson3.Jackson3Binding;
import dev.overture.protocol.session.CloudSession;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/continue}: one whole turn per request ({@link ContinueRequest}), answered with
 * the same server events a WebSocket session would send for it, from the verdict on, as NDJSON
 * ({@code application/x-ndjson}, one frame per line) or, for {@code Accept: text/event-stream},
 * as server-sent events (event name = event type, id = seq, data = the frame). The body is read
 * up to the protocol's {@code max_frame_bytes} and refused beyond it before it is parsed.
 */
final class ContinueHandler {

  private final HandoffSessions sessions;
  private final HandoffMetrics metrics;
  private final int outboundBufferFrames;
  /** The one-shot binding always uses the protocol's default limits. */
  private final EventCodec codec = new EventCodec(new Jackson3Binding());

  ContinueHandler(HandoffSessions sessions, HandoffMetrics metrics, int outboundBufferFrames) {
    this.sessions = sessions;
    this.metrics = metrics;
    this.outboundBufferFrames = outboundBufferFrames;
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    // The API key filter made the caller's key id the principal; without one (a path the filter
    // did not recognise as the API's) nothing is served.
    return request.principal()
        .map(Principal::getName)
        .flatMap(apiKeyId -> handle(request, apiKeyId))
        .switchIfEmpty(Mono.defer(() -> error(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, "missing bearer API key")));
  }

  private Mono<ServerResponse> handle(ServerRequest request, String apiKeyId) {
    int limit = codec.limits().maxFrameBytes();
    List<MediaType> accepted = request.headers().accept();
    boolean sse = accepted.stream().anyMatch(type -> type.includes(MediaType.TEXT_EVENT_STREAM) && !type.isWildcardType());
    if (!accepted.isEmpty() && accepted.stream().noneMatch(ContinueHandler::producible)) {
      return error(HttpStatus.NOT_ACCEPTABLE, ErrorCode.INVALID_EVENT,
          "responses are application/x-ndjson or text/event-stream");
    }
    if (sessions.draining() || !sessions.engine().ready() || sessions.admission().saturated()) {
      String why = sessions.draining() ? "the service is shutting down"
          : !sessions.engine().ready() ? "the model is not loaded yet" : "every engine slot and queue place is taken";
      return error(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.OVERLOADED, why);
    }
    return RequestBodies.read(request, limit, "max_frame_bytes")
        .flatMap(body -> respond(body, apiKeyId, sse))
        .onErrorResume(RequestBodies.RefusedException.class, e -> error(e.status(), e.code(), e.getMessage()));
  }

  private Mono<ServerResponse> respond(byte[] body, String apiKeyId, boolean sse) {
    ContinueRequest request;
    CloudSession protocol;
    try {
      request = codec.decodeContinueRequest(body);
      protocol = CloudSession.forContinue(codec, request);
    } catch (ProtocolException e) {
      HttpStatus status =
          e.code() == ErrorCode.FRAME_TOO_LARGE ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
      return error(status, e.code(), e.getMessage());
    }
    try { // before the status line and any engine work
      sessions.engine().requireFits(new ConversationContext(request.history(), request.userText()), request.openerText());
    } catch (ContextTooLargeException e) {
      return error(HttpStatus.BAD_REQUEST, ErrorCode.CONTEXT_TOO_LARGE, e.getMessage());
    }
    HttpEventStream stream = new HttpEventStream(outboundBufferFrames);
    AtomicReference<HandoffSession> session = new AtomicReference<>();
    Flux<HttpEventStream.Frame> frames =
        stream.frames(
            () -> session.set(sessions.startOneShot(apiKeyId, protocol, request, stream)),
            () -> {
              HandoffSession started = session.get();
              if (started != null) {
                started.connectionClosed(stream);
              }
            });
    if (sse) {
      return ServerResponse.ok()
          .contentType(MediaType.TEXT_EVENT_STREAM)
          .body(
              frames.map(
                  frame -> {
                    ServerSentEvent.Builder<String> event =
                        ServerSentEvent.builder(frame.text()).event(eventType(frame));
                    long seq = frame.event().seq();
                    return (seq > 0 ? event.id(Long.toString(seq)) : event).build(); // ids: numbered events only
                  }),
              ServerSentEvent.class);
    }
    return ServerResponse.ok()
        .contentType(MediaType.APPLICATION_NDJSON)
        .body(frames.map(frame -> frame.text() + "\n"), String.class);
  }

  private static boolean producible(MediaType accepted) {
    return accepted.isCompatibleWith(MediaType.APPLICATION_NDJSON)
        || accepted.isCompatibleWith(MediaType.TEXT_EVENT_STREAM);
  }

  /** The wire type, as the protocol's records declare it for the JSON bindings. */
  private static String eventType(HttpEventStream.Frame frame) {
    return frame.event().getClass().getAnnotation(JsonTypeName.class).value();
  }

  private Mono<ServerResponse> error(HttpStatus status, ErrorCode code, String message) {
    metrics.error(code);
    return ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(HttpErrors.body(code, message));
  }
}

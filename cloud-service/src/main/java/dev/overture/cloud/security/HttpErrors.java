package dev.overture.cloud.security;

import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.codec.JsonBindingException;
import dev.overture.protocol.jackson3.Jackson3Binding;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Typed JSON errors for HTTP. The body is one protocol {@code error} event (protocol section 9:
 * "a request rejected before streaming gets an HTTP status with one error event"), which also
 * carries an OpenAI-style {@code error} object so that OpenAI-compatible clients read it too:
 *
 * <pre>{"type":"error","event_id":"http","seq":0,"code":"rate_limited","message":"...","fatal":true,
 *  "error":{"code":"rate_limited","message":"...","type":"rate_limited"}}</pre>
 */
public final class HttpErrors {

  private static final Jackson3Binding JSON = new Jackson3Binding();
  private static final EventCodec CODEC = new EventCodec(JSON);

  private HttpErrors() {}

  /** The error body for {@code code} and {@code message}. */
  public static String body(ErrorCode code, String message) {
    ErrorEvent event =
        ErrorEvent.of("http", new ProtocolException(code, message, true, null, -1));
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> members = (Map<String, Object>) JSON.read(CODEC.encode(event), Object.class);
      Map<String, Object> openAi = new LinkedHashMap<>();
      openAi.put("code", code.wireName());
      openAi.put("message", event.message());
      openAi.put("type", code.wireName());
      members.put("error", openAi);
      return JSON.write(members);
    } catch (ProtocolException | JsonBindingException e) {
      throw new IllegalStateException("an error event always encodes", e);
    }
  }

  /** Writes the error as the whole response. */
  public static Mono<Void> write(
      ServerHttpResponse response, HttpStatus status, ErrorCode code, String message) {
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] bytes = body(code, message).getBytes(StandardCharsets.UTF_8);
    return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
  }
}

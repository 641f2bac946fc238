package dev.overture.cloud.security;

import dev.overture.protocol.ErrorCode;
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
 * Typed JSON errors for HTTP: {@code {"error": {"code": "rate_limited", "message": "..."}}}, the
 * code being the handoff protocol's, in the shape OpenAI-compatible clients also read.
 */
public final class HttpErrors {

  private static final Jackson3Binding JSON = new Jackson3Binding();

  private HttpErrors() {}

  /** The error body for {@code code} and {@code message}. */
  public static String body(ErrorCode code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.wireName());
    error.put("message", message);
    error.put("type", code.wireName());
    try {
      return JSON.write(Map.of("error", error));
    } catch (JsonBindingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
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

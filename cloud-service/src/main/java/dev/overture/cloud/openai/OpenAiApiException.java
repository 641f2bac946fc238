package dev.overture.cloud.openai;

import dev.overture.protocol.ErrorCode;
import org.springframework.http.HttpStatus;

/**
 * A request the OpenAI-compatible endpoints answer with an error object, {@code {"error":
 * {"message", "type", "param", "code"}}}, and an HTTP status, as OpenAI does.
 */
final class OpenAiApiException extends RuntimeException {
  private final HttpStatus status;
  private final String type;
  private final String param;
  private final String code;

  OpenAiApiException(HttpStatus status, String type, String code, String param, String message) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  /** A 400 {@code invalid_request_error} about {@code param} (may be null). */
  static OpenAiApiException invalid(String param, String message) {
    return new OpenAiApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_value", param, message);
  }

  /** A 400 {@code malformed_json}: the body is not one JSON object in strict UTF-8. */
  static OpenAiApiException malformed(String message) {
    return new OpenAiApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "malformed_json", null, message);
  }

  /** A 400 {@code context_length_exceeded} about the messages: they do not fit the model. */
  static OpenAiApiException contextTooLarge(String message) {
    return new OpenAiApiException(
        HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded", "messages", message);
  }

  HttpStatus status() {
    return status;
  }

  String type() {
    return type;
  }

  String param() {
    return param;
  }

  String code() {
    return code;
  }

  /** The protocol error code this counts as in {@code overture.errors}. */
  ErrorCode protocolCode() {
    return switch (code) {
      case "overloaded", "upstream_unavailable" -> ErrorCode.OVERLOADED;
      case "timeout" -> ErrorCode.TIMEOUT;
      case "upstream_rejected", "upstream_failed", "engine_failed" -> ErrorCode.ENGINE_FAILED;
      case "context_length_exceeded" -> ErrorCode.CONTEXT_TOO_LARGE;
      case "request_too_large" -> ErrorCode.FRAME_TOO_LARGE;
      case "malformed_json" -> ErrorCode.MALFORMED_JSON;
      case "internal" -> ErrorCode.INTERNAL;
      case "invalid_api_key" -> ErrorCode.UNAUTHORIZED;
      default -> ErrorCode.INVALID_EVENT;
    };
  }
}

package dev.overture.cloud.security;

import dev.overture.protocol.ErrorCode;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * Reads a whole HTTP request body as bytes (never as text: decoding would turn bytes that are not
 * UTF-8 into U+FFFD before anyone could refuse them), refusing it while it is read once it passes
 * a size limit, and when the client pauses longer than {@code
 * overture.security.request-read-timeout} ({@link SlowClientTimeouts}).
 */
public final class RequestBodies {

  /**
   * A body refused while it was read: {@code frame_too_large} (413) or {@code timeout} (408).
   *
   * @param status the HTTP status to answer with
   * @param code the protocol error code it counts as
   */
  public static final class RefusedException extends RuntimeException {
    private final HttpStatus status;
    private final ErrorCode code;

    RefusedException(HttpStatus status, ErrorCode code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    public HttpStatus status() {
      return status;
    }

    public ErrorCode code() {
      return code;
    }
  }

  private RequestBodies() {}

  /**
   * The body of {@code request}, empty when it has none; fails with {@link RefusedException} above
   * {@code maxBytes} (naming {@code limitName}) or when the client stalls.
   */
  public static Mono<byte[]> read(ServerRequest request, int maxBytes, String limitName) {
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBytes)
        .map(RequestBodies::bytes)
        .defaultIfEmpty(new byte[0])
        .onErrorMap(DataBufferLimitException.class, e -> new RefusedException(
            HttpStatus.CONTENT_TOO_LARGE, ErrorCode.FRAME_TOO_LARGE, "the body exceeds " + limitName + " " + maxBytes))
        .onErrorMap(ReadTimeoutException.class, e -> new RefusedException(
            HttpStatus.REQUEST_TIMEOUT, ErrorCode.TIMEOUT, "the body stopped arriving (overture.security.request-read-timeout)"));
  }

  private static byte[] bytes(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }
}

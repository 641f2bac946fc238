package dev.overture.cloud.security;

import dev.overture.cloud.metrics.HandoffMetrics;
import dev.overture.protocol.ErrorCode;
import java.net.InetSocketAddress;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards every {@code /v1/**} request, the WebSocket upgrade of {@code /v1/handoff} included, before
 * any other work: a body larger than {@code max-request-bytes} ({@code Content-Length}) gets 413,
 * a missing or unknown bearer key 401 (429 with {@code Retry-After} once the client's address has
 * failed more often than {@code auth-failures-per-second} and {@code auth-failure-burst} allow; a
 * valid key is never refused for it), a key over its rate 429 with {@code Retry-After}; each with
 * a typed JSON error. Other paths (Actuator's health and Prometheus endpoints) pass untouched.
 * The key's id (never the key) becomes the exchange's principal name, which the WebSocket
 * handshake carries into the socket ({@code HandshakeInfo.getPrincipal()}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public final class ApiKeyFilter implements WebFilter {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
  private static final String BEARER = "Bearer ";
  private static final String API_SEGMENT = "v1";
  /** Most client addresses whose failed authentications are tracked at once. */
  private static final int TRACKED_ADDRESSES = 10_000;

  private final ApiKeys keys;
  private final TokenBuckets rates;
  private final TokenBuckets failures;
  private final long maxRequestBytes;
  private final HandoffMetrics metrics;

  public ApiKeyFilter(SecurityProperties properties, HandoffMetrics metrics) {
    this.keys = new ApiKeys(properties.apiKeys());
    this.rates = new TokenBuckets(properties.requestsPerSecond(), properties.burst(), Integer.MAX_VALUE);
    this.failures =
        new TokenBuckets(properties.authFailuresPerSecond(), properties.authFailureBurst(), TRACKED_ADDRESSES);
    this.maxRequestBytes = properties.maxRequestBytes();
    this.metrics = metrics;
    if (keys.isEmpty()) {
      log.warn("no API keys configured (overture.security.api-keys): every /v1 request is refused");
    } else {
      log.info("{} API keys configured", properties.apiKeys().size());
    }
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!isApi(request.getPath().pathWithinApplication())) {
      return chain.filter(exchange);
    }
    if (request.getHeaders().getContentLength() > maxRequestBytes) {
      return refuse(exchange, HttpStatus.CONTENT_TOO_LARGE, ErrorCode.FRAME_TOO_LARGE,
          "request body exceeds " + maxRequestBytes + " bytes");
    }
    String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return unauthorized(exchange, "Bearer", "missing bearer API key");
    }
    String keyId = keys.identify(authorization.substring(BEARER.length()).strip());
    if (keyId == null) {
      return unauthorized(exchange, "Bearer error=\"invalid_token\"", "API key not recognized");
    }
    if (!rates.tryAcquire(keyId, System.nanoTime())) {
      return tooMany(exchange, rates.retryAfterSeconds(keyId), "request rate of this API key exceeded");
    }
    Principal caller = () -> keyId;
    return chain.filter(exchange.mutate().principal(Mono.just(caller)).build());
  }

  /**
   * Whether {@code path} is under {@code /v1}, judged as the routers match it: by the first
   * non-empty segment, percent-decoded and without its {@code ;parameters}. Comparing the raw text
   * let {@code /v1;x/continue} and {@code /%76%31/continue} reach the handlers without a key.
   */
  static boolean isApi(PathContainer path) {
    for (PathContainer.Element element : path.elements()) {
      if (element instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
        return API_SEGMENT.equals(segment.valueToMatch());
      }
    }
    return false;
  }

  /**
   * A failed authentication: 401, or 429 once the client's address failed too often. Only failures
   * count, so a valid key is never refused for them, even from a throttled address.
   */
  private Mono<Void> unauthorized(ServerWebExchange exchange, String challenge, String message) {
    String address = clientAddress(exchange.getRequest());
    if (!failures.tryAcquire(address, System.nanoTime())) {
      metrics.authThrottled();
      return tooMany(exchange, failures.retryAfterSeconds(address), "too many failed authentications from this address");
    }
    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
    return refuse(exchange, HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, message);
  }

  private Mono<Void> tooMany(ServerWebExchange exchange, long retryAfterSeconds, String message) {
    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    return refuse(exchange, HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, message);
  }

  /** The client's address (behind a proxy: as forwarded, with {@code server.forward-headers-strategy}). */
  private static String clientAddress(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    if (remote == null) {
      return "unknown";
    }
    return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
  }

  private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, ErrorCode code, String message) {
    metrics.error(code);
    return HttpErrors.write(exchange.getResponse(), status, code, message);
  }
}

package dev.overture.cloud.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access to {@code /v1/**} ({@code overture.security.*}).
 *
 * @param apiKeys the accepted bearer keys; with none, every {@code /v1} request is refused. From
 *     the environment: {@code OVERTURE_SECURITY_API_KEYS=key1,key2}. Never logged.
 * @param requestsPerSecond each key's sustained rate of HTTP requests (WebSocket upgrades
 *     included); events on an open WebSocket are limited by {@code
 *     overture.handoff.max-events-per-second} instead
 * @param burst how many requests a key may make at once above the rate
 * @param maxRequestBytes the largest request body accepted on {@code /v1/**}, checked against
 *     {@code Content-Length} before anything is read
 * @param authFailuresPerSecond the sustained rate of failed authentications (a missing or unknown
 *     key) allowed per client address; beyond it, and beyond the burst, failures get HTTP 429
 *     instead of 401. Requests with a valid key are never counted nor throttled.
 * @param authFailureBurst how many failed authentications an address may make at once
 * @param requestReadTimeout the longest pause between two reads of one HTTP request (headers or
 *     body); a client that stops in the middle of a request is answered 408 or closed after it
 */
@ConfigurationProperties("overture.security")
public record SecurityProperties(
    @DefaultValue({}) List<String> apiKeys,
    @DefaultValue("20") double requestsPerSecond,
    @DefaultValue("40") int burst,
    @DefaultValue("1048576") long maxRequestBytes,
    @DefaultValue("1") double authFailuresPerSecond,
    @DefaultValue("20") int authFailureBurst,
    @DefaultValue("10s") Duration requestReadTimeout) {

  public SecurityProperties {
    apiKeys = apiKeys == null ? List.of() : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    if (!(requestsPerSecond > 0) || burst < 1 || maxRequestBytes < 1 || !(authFailuresPerSecond > 0) || authFailureBurst < 1) {
      throw new IllegalArgumentException(
          "overture.security: requests-per-second, burst, max-request-bytes, auth-failures-per-second and "
              + "auth-failure-burst must be positive");
    }
    if (!requestReadTimeout.isPositive()) {
      throw new IllegalArgumentException("overture.security.request-read-timeout must be positive");
    }
  }

  @Override
  public String toString() {
    return "SecurityProperties[apiKeys=" + apiKeys.size() + " keys, requestsPerSecond=" + requestsPerSecond
        + ", burst=" + burst + ", maxRequestBytes=" + maxRequestBytes + ", authFailuresPerSecond="
        + authFailuresPerSecond + ", authFailureBurst=" + authFailureBurst + ", requestReadTimeout="
        + requestReadTimeout + "]";
  }
}

package dev.overture.cloud.security;

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
 */
@ConfigurationProperties("overture.security")
public record SecurityProperties(
    @DefaultValue({}) List<String> apiKeys,
    @DefaultValue("20") double requestsPerSecond,
    @DefaultValue("40") int burst,
    @DefaultValue("1048576") long maxRequestBytes) {

  public SecurityProperties {
    apiKeys = apiKeys == null ? List.of() : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    if (!(requestsPerSecond > 0) || burst < 1 || maxRequestBytes < 1) {
      throw new IllegalArgumentException(
          "overture.security: requests-per-second, burst and max-request-bytes must be positive");
    }
  }

  @Override
  public String toString() {
    return "SecurityProperties[apiKeys=" + apiKeys.size() + " keys, requestsPerSecond="
        + requestsPerSecond + ", burst=" + burst + ", maxRequestBytes=" + maxRequestBytes + "]";
  }
}

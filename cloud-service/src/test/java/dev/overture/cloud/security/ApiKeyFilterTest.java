package dev.overture.cloud.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.WsClient;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Bearer API keys, per-key rate limits and the request size limit on every {@code /v1} endpoint. */
@HandoffServiceTest
class ApiKeyFilterTest {

  private static final String BODY =
      "{\"protocol_version\":1,\"turn_id\":\"t1\",\"history\":[],\"user_text\":\"Hi\",\"opener_words\":[]}";

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_MAP = new ParameterizedTypeReference<>() {};

  @LocalServerPort int port;
  @Autowired WebTestClient web;

  @Test
  void aRequestWithoutAKeyIsUnauthorizedWithATypedError() {
    Map<String, Object> error = post(null).expectStatus().isUnauthorized()
        .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .expectBody(JSON_MAP).returnResult().getResponseBody();
    assertThat(error).containsEntry("type", "error").containsEntry("code", "unauthorized").containsEntry("fatal", true);
    assertThat(error.get("error")).isEqualTo(Map.of("code", "unauthorized", "message", "missing bearer API key", "type", "unauthorized"));
  }

  @Test
  void aRequestWithAWrongKeyIsUnauthorized() {
    Map<String, Object> error = post("not-a-key").expectStatus().isUnauthorized().expectBody(JSON_MAP).returnResult().getResponseBody();
    assertThat(error).containsEntry("code", "unauthorized").containsEntry("message", "API key not recognized");
  }

  /**
   * The router matches decoded path segments without their {@code ;parameters}, so the filter must
   * judge the same path: written any other way, {@code /v1} is still {@code /v1}. (401, or 429 once
   * this shared service's address has failed too often: either way not served.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"/v1;x/continue", "/%76%31/continue", "/v1/continue;x", "//v1/continue", "/v1%3Bx/continue"})
  void aV1PathWrittenAnotherWayStillNeedsAKey(String path) {
    int status = web.post().uri(URI.create("http://localhost:" + port + path))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(BODY)
        .exchange()
        .returnResult(String.class)
        .getStatus()
        .value();
    assertThat(status).as(path).isIn(401, 404, 429);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1", "/v1/continue", "/v1;x/continue", "/%76%31/continue", "//v1/models", "/v1;a/models"})
  void theFilterJudgesTheDecodedFirstSegmentAsTheRoutersDo(String path) {
    assertThat(ApiKeyFilter.isApi(PathContainer.parsePath(path))).as(path).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/actuator/health", "/v1x/continue", "/v2/continue"})
  void otherPathsAreNotTheApis(String path) {
    assertThat(ApiKeyFilter.isApi(PathContainer.parsePath(path))).as(path).isFalse();
  }

  @Test
  void theModelsListWrittenWithAParameterStillNeedsAKey() {
    int status = web.get().uri(URI.create("http://localhost:" + port + "/v1;a/models")).exchange().returnResult(String.class).getStatus().value();
    assertThat(status).isIn(401, 429);
  }

  @Test
  void aWebSocketUpgradeWithoutAKeyIsRefused() {
    assertThatThrownBy(() -> WsClient.connect(port, null)).hasMessageContaining("401");
  }

  @Test
  void aWebSocketUpgradeWithAWrongKeyIsRefused() {
    assertThatThrownBy(() -> WsClient.connect(port, "not-a-key")).hasMessageContaining("401");
  }

  @Test
  void aKeyAboveItsRateGetsTooManyRequestsWithRetryAfter() {
    EntityExchangeResult<String> limited = null;
    for (int i = 0; i < 100 && limited == null; i++) {
      EntityExchangeResult<String> result = post(HandoffServiceTest.RATE_KEY).expectBody(String.class).returnResult();
      if (result.getStatus() == HttpStatus.TOO_MANY_REQUESTS) {
        limited = result;
      }
    }
    assertThat(limited).as("a 429 within 100 requests (burst 40, 20 per second)").isNotNull();
    assertThat(limited.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
    assertThat(limited.getResponseBody()).contains("\"code\":\"rate_limited\"");
  }

  @Test
  void aBodyAboveTheRequestSizeLimitIsRefusedBeforeItIsRead() {
    web.post().uri("/v1/continue")
        .headers(h -> h.setBearerAuth(HandoffServiceTest.KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("x".repeat(1_100_000))
        .exchange()
        .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody().jsonPath("$.code").isEqualTo("frame_too_large");
  }

  @Test
  void theOpenAiCompatibleEndpointsNeedAKeyToo() {
    web.get().uri("/v1/models").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void actuatorHealthStaysOpen() {
    web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
  }

  private WebTestClient.ResponseSpec post(String key) {
    return web.post().uri("/v1/continue")
        .headers(h -> {
          if (key != null) {
            h.setBearerAuth(key);
          }
        })
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(BODY)
        .exchange();
  }
}

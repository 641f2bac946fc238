package dev.overture.cloud.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.cloud.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Wrong keys in bulk. Failed authentications are limited per client address (the hostile service
 * allows a burst of 20, then one per second): beyond that they get 429 with {@code Retry-After},
 * counted in {@code overture.auth.throttled}; requests with a valid key are never refused for them.
 */
class HostileAuthTest extends HostileService {

  private static final String BODY =
      "{\"protocol_version\":1,\"turn_id\":\"t1\",\"history\":[],\"user_text\":\"Hi\",\"opener_words\":[\"Sure,\"]}";

  /** {@code count} requests with wrong keys, all at once; their responses. */
  private List<ResponseEntity<String>> wrongKeys(int count) {
    WebClient client = WebClient.create("http://localhost:" + port);
    return Flux.range(0, count)
        .flatMap(i -> client.post().uri("/v1/continue")
            .headers(h -> h.setBearerAuth("wrong-key-" + i))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(BODY)
            .exchangeToMono(response -> response.toEntity(String.class)), count)
        .collectList()
        .block(Duration.ofSeconds(30));
  }

  private double throttled() {
    var counter = meters.find("overture.auth.throttled").counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void wrongKeysInBulkAreThrottledWith429AndRetryAfterAndCounted() {
    double before = throttled();
    List<ResponseEntity<String>> responses = wrongKeys(200);
    List<ResponseEntity<String>> tooMany =
        responses.stream().filter(r -> r.getStatusCode() == HttpStatus.TOO_MANY_REQUESTS).toList();
    assertThat(responses).allMatch(r -> r.getStatusCode() == HttpStatus.UNAUTHORIZED || r.getStatusCode() == HttpStatus.TOO_MANY_REQUESTS);
    assertThat(tooMany).hasSizeGreaterThanOrEqualTo(150); // a burst of 20 (plus refill) got 401
    assertThat(tooMany).allMatch(r -> r.getHeaders().getFirst(HttpHeaders.RETRY_AFTER) != null
        && r.getBody().contains("\"code\":\"rate_limited\""));
    assertThat(throttled() - before).isEqualTo(tooMany.size());
  }

  @Test
  void aValidKeyIsServedFromAnAddressWhoseFailuresAreThrottled() {
    assertThat(wrongKeys(40)).anyMatch(r -> r.getStatusCode() == HttpStatus.TOO_MANY_REQUESTS);
    ResponseEntity<String> valid = WebClient.create("http://localhost:" + port).post().uri("/v1/continue")
        .headers(h -> h.setBearerAuth(KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(BODY)
        .exchangeToMono(response -> response.toEntity(String.class))
        .block(Duration.ofSeconds(10));
    assertThat(valid.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(valid.getBody()).contains("continuation.done");
    aFreshSessionWorks();
  }

  @Test
  void aWebSocketUpgradeWithAWrongKeyIsThrottledToo() {
    assertThat(wrongKeys(40)).anyMatch(r -> r.getStatusCode() == HttpStatus.TOO_MANY_REQUESTS);
    assertThatThrownBy(() -> WsClient.connect(port, "wrong-key")).hasMessageContaining("429");
    aFreshSessionWorks();
  }
}

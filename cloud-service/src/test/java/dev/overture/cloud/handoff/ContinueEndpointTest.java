package dev.overture.cloud.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.PuppetEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/continue} beyond the conformance transcripts: refusals and failures. */
@HandoffServiceTest
class ContinueEndpointTest {

  private static final String REQUEST =
      "{\"protocol_version\":1,\"turn_id\":\"t1\",\"history\":[],\"user_text\":\"Do you like music?\","
          + "\"opener_words\":[\"Sure,\",\" I\",\" do\"]}";

  @Autowired WebTestClient web;
  @Autowired PuppetEngine puppet;

  @BeforeEach
  void reset() {
    puppet.reset();
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWithMalformedJson() {
    post("{\"protocol_version\":", MediaType.APPLICATION_NDJSON)
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.type").isEqualTo("error").jsonPath("$.code").isEqualTo("malformed_json");
  }

  @Test
  void aRequestMissingARequiredMemberIsRefusedWithInvalidEvent() {
    post("{\"protocol_version\":1,\"turn_id\":\"t1\"}", MediaType.APPLICATION_NDJSON)
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.code").isEqualTo("invalid_event");
  }

  @Test
  void aBodyOverTheFrameLimitIsRefusedWithFrameTooLarge() {
    String big = REQUEST.replace("Do you like music?", "la ".repeat(30_000));
    post(big, MediaType.APPLICATION_NDJSON)
        .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody().jsonPath("$.code").isEqualTo("frame_too_large");
  }

  @Test
  void anUnsupportedAcceptIsNotAcceptable() {
    post(REQUEST, MediaType.TEXT_PLAIN).expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE);
  }

  @Test
  void beforeTheModelIsLoadedTheServiceIsUnavailableAsOverloaded() {
    puppet.ready(false);
    post(REQUEST, MediaType.APPLICATION_NDJSON)
        .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectBody().jsonPath("$.code").isEqualTo("overloaded");
  }

  @Test
  void anEngineFailureAfterTheStatusIsAnErrorEventThenAFailedDone() {
    puppet.expectReply().emit(" really").fail(new EngineFailureException(EngineFailureException.Kind.FAILED, "gone"));
    List<Map<String, Object>> events = lines(post(REQUEST, MediaType.APPLICATION_NDJSON).expectStatus().isOk());
    assertThat(events).extracting(e -> e.get("type"))
        .containsExactly("opener.accept", "continuation.delta", "error", "continuation.done");
    assertThat(events.get(2)).containsEntry("code", "engine_failed").containsEntry("fatal", false);
    assertThat(events.get(3)).containsEntry("status", "failed");
  }

  @Test
  void aClientThatStopsReadingCancelsTheEngine() throws Exception {
    PuppetEngine.Reply reply = puppet.expectReply();
    web.post().uri("/v1/continue")
        .headers(h -> h.setBearerAuth(HandoffServiceTest.KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_NDJSON)
        .bodyValue(REQUEST)
        .exchange()
        .returnResult(String.class)
        .getResponseBody()
        .take(1) // the verdict, then the client goes away
        .blockLast(Duration.ofSeconds(5));
    reply.request(Duration.ofSeconds(5));
    assertThat(reply.cancelledWithin(Duration.ofSeconds(5))).isTrue();
  }

  private WebTestClient.ResponseSpec post(String body, MediaType accept) {
    return web.post().uri("/v1/continue")
        .headers(h -> h.setBearerAuth(HandoffServiceTest.KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .accept(accept)
        .bodyValue(body)
        .exchange();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> lines(WebTestClient.ResponseSpec response) {
    String body = response.expectBody(String.class).returnResult().getResponseBody();
    JsonMapper json = JsonMapper.builder().build();
    return body.lines().filter(l -> !l.isBlank()).map(l -> (Map<String, Object>) json.readValue(l, Map.class)).toList();
  }
}

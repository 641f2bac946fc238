package dev.overture.cloud.handoff;

import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.PuppetEngine;
import dev.overture.cloud.testing.TranscriptReplay;
import dev.overture.cloud.testing.Transcripts;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every conformance transcript of the protocol, replayed against the running service: the
 * WebSocket ones through a real WebSocket client, the one-shot ones through {@code POST
 * /v1/continue} as NDJSON and as server-sent events. (The transcript that needs other limits runs
 * in {@link ReplayExpiredTranscriptTest}.)
 */
@HandoffServiceTest
class TranscriptConformanceTest {

  @LocalServerPort int port;
  @Autowired PuppetEngine puppet;
  @Autowired HandoffSessions sessions;
  @Autowired WebTestClient web;

  @BeforeEach
  void reset() {
    puppet.reset();
  }

  static Stream<Named<Map<String, Object>>> webSocketTranscripts() {
    return Transcripts.all().stream()
        .filter(t -> !Transcripts.oneShot(t) && !Transcripts.overridesLimits(t))
        .map(t -> Named.of(Transcripts.name(t), t));
  }

  static Stream<Named<Map<String, Object>>> oneShotTranscripts() {
    return Transcripts.all().stream().filter(Transcripts::oneShot).map(t -> Named.of(Transcripts.name(t), t));
  }

  @ParameterizedTest
  @MethodSource("webSocketTranscripts")
  void replaysOverWebSocket(Map<String, Object> transcript) {
    new TranscriptReplay(transcript, puppet, HandoffServiceTest.BRIDGE)
        .overWebSocket(port, HandoffServiceTest.KEY, sessions);
  }

  @ParameterizedTest
  @MethodSource("oneShotTranscripts")
  void replaysOverHttpAsNdjson(Map<String, Object> transcript) {
    new TranscriptReplay(transcript, puppet, HandoffServiceTest.BRIDGE)
        .overHttp(
            () -> {
              String body =
                  post(transcript, MediaType.APPLICATION_NDJSON)
                      .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                      .expectBody(String.class)
                      .returnResult()
                      .getResponseBody();
              return Arrays.stream(body.split("\n")).filter(line -> !line.isBlank()).toList();
            });
  }

  @ParameterizedTest
  @MethodSource("oneShotTranscripts")
  void replaysOverHttpAsServerSentEvents(Map<String, Object> transcript) {
    new TranscriptReplay(transcript, puppet, HandoffServiceTest.BRIDGE)
        .overHttp(
            () -> {
              List<ServerSentEvent<String>> events =
                  post(transcript, MediaType.TEXT_EVENT_STREAM)
                      .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                      .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                      .getResponseBody()
                      .collectList()
                      .block();
              return events.stream().map(ServerSentEvent::data).toList();
            });
  }

  private WebTestClient.ResponseSpec post(Map<String, Object> transcript, MediaType accept) {
    return web.post()
        .uri("/v1/continue")
        .headers(h -> h.setBearerAuth(HandoffServiceTest.KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .accept(accept)
        .bodyValue(transcript.get("continue_request"))
        .exchange()
        .expectStatus()
        .isOk();
  }
}

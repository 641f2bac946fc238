package dev.overture.cloud.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with {@code overture.engine.kind=openai} in front of a WireMock upstream: a handoff
 * turn over the WebSocket and an OpenAI-compatible request both reach the upstream with the
 * opener as the assistant prefix, and its stream comes back joined.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=openai",
      "overture.engine.openai.model=upstream-model",
      "overture.engine.openai.api-key=sk-upstream",
      "overture.security.api-keys=service-key",
    })
@AutoConfigureWebTestClient
class OpenAiEngineServiceTest {
  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @DynamicPropertySource
  static void upstreamUrl(DynamicPropertyRegistry registry) {
    registry.add("overture.engine.openai.base-url", upstream::baseUrl);
  }

  private static final String STREAM = chunk(" music,") + chunk(" especially ambient.")
      + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":2}}\n\n"
      + "data: [DONE]\n\n";

  private static String chunk(String content) {
    return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
        + content + "\"}}]}\n\n";
  }

  @LocalServerPort int port;
  @Autowired WebTestClient anonymous;
  @Autowired ContinuationEngine engine;

  @BeforeEach
  void upstreamServes() {
    upstream.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"object\":\"list\",\"data\":[{\"id\":\"upstream-model\"}]}")));
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(STREAM)));
    await().atMost(Duration.ofSeconds(10)).until(engine::ready);
  }

  @Test
  void aHandoffTurnIsContinuedByTheUpstream() {
    Device device = new Device();
    List<String> opener = List.of("Sure,", " I", " love", " electronic");
    try (WsClient client = WsClient.connect(port, "service-key")) {
      device.open(client);
      device.committedTurn(client, "t1", "Do you like music?", opener);

      assertThat(client.nextEvent()).containsEntry("type", "opener.accept").containsEntry("word_count", 4);
      StringBuilder continuation = new StringBuilder();
      Map<String, Object> event = client.nextEvent();
      while ("continuation.delta".equals(event.get("type"))) {
        continuation.append(event.get("text"));
        event = client.nextEvent();
      }
      assertThat(continuation.toString()).isEqualTo(" music, especially ambient.");
      assertThat(event).containsEntry("type", "continuation.done").containsEntry("status", "completed");
    }
    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer sk-upstream"))
        .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo("Sure, I love electronic")))
        .withRequestBody(matchingJsonPath("$.continue_final_message", equalTo("true"))));
  }

  @Test
  void theOpenAiEndpointProxiesToTheUpstream() {
    String body = anonymous.post().uri("/v1/chat/completions")
        .header("Authorization", "Bearer service-key")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("""
            {"model":"upstream-model","messages":[{"role":"user","content":"Do you like music?"},\
            {"role":"assistant","content":"Sure, I love electronic"}],"continue_final_message":true}""")
        .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

    JsonNode completion = JsonMapper.shared().readTree(body);
    assertThat(completion.path("model").asString()).isEqualTo("upstream-model");
    assertThat(completion.path("choices").get(0).path("message").path("content").asString())
        .isEqualTo(" music, especially ambient.");
    assertThat(completion.path("usage").path("prompt_tokens").asInt()).isEqualTo(40);
  }
}

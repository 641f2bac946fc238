package dev.overture.cloud.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import dev.overture.protocol.Words;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI-compatible endpoints on the real embedded engine, with a tiny random-weight MoE model. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=embedded",
      "overture.embedded.model-id=tiny-moe",
      "overture.embedded.threads=1",
      "overture.embedded.context-length=256",
      "overture.security.api-keys=embedded-key",
    })
@AutoConfigureWebTestClient
class ChatCompletionsEmbeddedTest {
  private static Path dir;

  @DynamicPropertySource
  static void model(DynamicPropertyRegistry registry) {
    try {
      dir = Files.createTempDirectory("overture-openai-test");
      Path file = dir.resolve("tiny-moe.gguf");
      new SyntheticModelWriter(new ModelShape("llama", 64, 2, 4, 2, 96, 512, 4, 2, true, 256), GgmlType.F32, 7)
          .write(file);
      registry.add("overture.embedded.model-path", file::toString);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void deleteModel() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  @Autowired WebTestClient anonymous;
  @Autowired ContinuationEngine engine;
  private WebTestClient client;
  private final JsonMapper json = JsonMapper.shared();

  @BeforeEach
  void waitForTheModel() {
    client = anonymous.mutate().defaultHeader("Authorization", "Bearer embedded-key").build();
    await().atMost(Duration.ofSeconds(20)).until(engine::ready);
  }

  private JsonNode complete(String body) {
    return json.readTree(client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
  }

  @Test
  void listsTheEmbeddedModel() {
    JsonNode models = json.readTree(client.get().uri("/v1/models").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody());
    assertThat(models.path("data").get(0).path("id").asString()).isEqualTo("tiny-moe");
  }

  @Test
  void completesWithinTheTokenLimit() {
    JsonNode body = complete("""
        {"model":"tiny-moe","messages":[{"role":"user","content":"Do you like music?"}],"max_tokens":6}""");

    JsonNode usage = body.path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isPositive();
    assertThat(usage.path("completion_tokens").asInt()).isBetween(0, 6);
    String content = body.path("choices").get(0).path("message").path("content").asString();
    assertThat(content).doesNotStartWith(" "); // a fresh reply starts at its first word
    assertThat(body.path("choices").get(0).path("finish_reason").asString())
        .isEqualTo(usage.path("completion_tokens").asInt() == 6 ? "length" : "stop");
  }

  @Test
  void continuesTheFinalAssistantMessageSeamlessly() {
    JsonNode body = complete("""
        {"messages":[{"role":"user","content":"Do you like music?"},\
        {"role":"assistant","content":"Sure, I love electronic"}],\
        "continue_final_message":true,"add_generation_prompt":false,"max_tokens":6}""");

    String content = body.path("choices").get(0).path("message").path("content").asString();
    if (!content.isEmpty()) {
      // The continuation starts a new word or adds punctuation: never glued onto "electronic".
      char first = content.charAt(0);
      assertThat(Words.isSeparator(first) || !Character.isLetterOrDigit(first)).as("joins: '%s'", content).isTrue();
    }
  }

  @Test
  void streamsTheSameShapeAsTheScriptedEngine() {
    List<String> data = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
        .bodyValue("""
            {"messages":[{"role":"user","content":"Hi"}],"max_tokens":4,"stream":true,\
            "stream_options":{"include_usage":true}}""")
        .exchange().expectStatus().isOk()
        .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(20));

    assertThat(data).last().isEqualTo("[DONE]");
    JsonNode usage = json.readTree(data.get(data.size() - 2)).path("usage");
    assertThat(usage.path("prompt_tokens").asInt()).isPositive();
    assertThat(usage.path("completion_tokens").asInt()).isBetween(0, 4);
  }
}

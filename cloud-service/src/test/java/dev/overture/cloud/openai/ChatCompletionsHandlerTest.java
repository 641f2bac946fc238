package dev.overture.cloud.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.EngineOverloadedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=scripted",
      "overture.handoff.max-output-tokens=100",
      "overture.security.api-keys=test-key",
      "overture.security.requests-per-second=1000",
      "overture.security.burst=1000",
      "overture.security.max-request-bytes=8192"
    })
@AutoConfigureWebTestClient
class ChatCompletionsHandlerTest {
  @TestConfiguration(proxyBeanMethods = false)
  static class Engine {
    @Bean
    ScriptedEngine scriptedEngine() {
      return new ScriptedEngine();
    }
  }

  /** What the openai Python client (1.x) sends for {@code client.chat.completions.create(..., stream=True)}. */
  private static final String PYTHON_CLIENT_STREAM = """
      {"messages":[{"role":"system","content":"You are a helpful assistant."},\
      {"role":"user","content":"Do you like music?"}],"model":"scripted-model",\
      "max_tokens":32,"stream":true,"stream_options":{"include_usage":true},"temperature":0.7}""";

  private static final String CONTINUE = """
      {"model":"scripted-model","messages":[{"role":"user","content":"Do you like music?"},\
      {"role":"assistant","content":"Sure, I love electronic"}],\
      "continue_final_message":true,"add_generation_prompt":false}""";

  private static final String PLAIN = """
      {"model":"scripted-model","messages":[{"role":"user","content":"Hi"}]}""";

  @Autowired WebTestClient anonymous;
  private WebTestClient client;
  @Autowired ScriptedEngine engine;
  @Autowired io.micrometer.core.instrument.MeterRegistry registry;
  @LocalServerPort int port;

  private final JsonMapper json = JsonMapper.shared();

  @BeforeEach
  void resetEngineAndAuthorize() {
    engine.reset();
    client = anonymous.mutate().defaultHeader("Authorization", "Bearer test-key").build();
  }

  private WebTestClient.ResponseSpec post(String body) {
    return client.post().uri("/v1/chat/completions")
        .contentType(MediaType.APPLICATION_JSON)
        .header("User-Agent", "OpenAI/Python 1.54.0")
        .header("X-Stainless-Lang", "python")
        .bodyValue(body)
        .exchange();
  }

  private JsonNode postJson(String body, int status) {
    String text = post(body).expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    return json.readTree(text);
  }

  /** The data of each event of a raw SSE body, in order. */
  private static List<String> events(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (!event.isBlank()) {
        assertThat(event).startsWith("data:");
        data.add(event.substring("data:".length()).strip());
      }
    }
    return data;
  }

  @Test
  void answersANonStreamedCompletion() {
    JsonNode body = postJson(PLAIN.replace("}]}", "}],\"max_tokens\":32,\"temperature\":0.7}"), 200);

    assertThat(body.path("id").asString()).startsWith("chatcmpl-");
    assertThat(body.path("object").asString()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("model").asString()).isEqualTo(ScriptedEngine.MODEL);
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asString()).isEqualTo("Hello there.");
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(9);

    ContinuationRequest asked = engine.requests.get(0);
    assertThat(asked.context().userText()).isEqualTo("Hi");
    assertThat(asked.assistantPrefix()).isEmpty();
    assertThat(asked.maxTokens()).isEqualTo(32);
    assertThat(engine.closed.get()).isEqualTo(1);
  }

  @Test
  void continuesTheFinalAssistantMessage() {
    engine.script = request -> ScriptedEngine.words(" music,", " especially", " ambient.");
    JsonNode body = postJson(CONTINUE, 200);

    assertThat(body.path("choices").get(0).path("message").path("content").asString())
        .isEqualTo(" music, especially ambient.");
    assertThat(engine.requests.get(0).assistantPrefix()).isEqualTo("Sure, I love electronic");
    assertThat(engine.requests.get(0).context().userText()).isEqualTo("Do you like music?");
  }

  private double turns(String status) {
    io.micrometer.core.instrument.Counter c = registry.find("overture.turns").tag("status", status).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void completionsCountAsTurnsInTheMetrics() {
    double completed = turns("completed");
    double truncated = turns("truncated");
    long firstWords = registry.get("overture.turn.first.word").timer().count();
    postJson(PLAIN, 200);
    engine.script = request -> Flux.range(1, request.maxTokens()).map(i -> new ContinuationChunk(" la", 3, i));
    postJson(PLAIN.replace("}]}", "}],\"max_completion_tokens\":4}"), 200);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(turns("completed")).isEqualTo(completed + 1);
      assertThat(turns("truncated")).isEqualTo(truncated + 1);
    });
    assertThat(registry.get("overture.turn.first.word").timer().count()).isEqualTo(firstWords + 2);
  }

  @Test
  void reportsLengthWhenTheTokenLimitStoppedTheReply() {
    engine.script = request -> Flux.range(1, request.maxTokens()).map(i -> new ContinuationChunk(" la", 3, i));
    JsonNode body = postJson(PLAIN.replace("}]}", "}],\"max_completion_tokens\":4}"), 200);
    assertThat(body.path("choices").get(0).path("finish_reason").asString()).isEqualTo("length");
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
  }

  @Test
  void streamsChunksInOpenAiFormatThenDone() {
    String raw = post(PYTHON_CLIENT_STREAM).expectStatus().isOk()
        .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
        .expectBody(String.class).returnResult().getResponseBody();
    List<String> data = events(raw);

    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(json::readTree).toList();
    assertThat(chunks).hasSize(5); // role, two contents, finish, usage
    String id = chunks.get(0).path("id").asString();
    assertThat(chunks).allSatisfy(chunk -> {
      assertThat(chunk.path("id").asString()).isEqualTo(id);
      assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("model").asString()).isEqualTo(ScriptedEngine.MODEL);
      assertThat(chunk.has("usage")).isTrue();
    });
    assertThat(chunks.get(0).path("choices").get(0).path("delta").path("role").asString()).isEqualTo("assistant");
    assertThat(chunks.get(1).path("choices").get(0).path("delta").path("content").asString()).isEqualTo("Hello");
    assertThat(chunks.get(2).path("choices").get(0).path("delta").path("content").asString()).isEqualTo(" there.");
    assertThat(chunks.get(2).path("choices").get(0).path("finish_reason").isNull()).isTrue();
    assertThat(chunks.get(3).path("choices").get(0).path("finish_reason").asString()).isEqualTo("stop");
    assertThat(chunks.get(4).path("choices").isEmpty()).isTrue();
    assertThat(chunks.get(4).path("usage").path("completion_tokens").asInt()).isEqualTo(2);
    assertThat(engine.requests.get(0).context().history()).isEmpty(); // the system message is not passed on
  }

  @Test
  void streamsWithoutUsageChunkUnlessAsked() {
    List<String> data = events(post(PYTHON_CLIENT_STREAM.replace(",\"stream_options\":{\"include_usage\":true}", ""))
        .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    assertThat(data).hasSize(5); // role, two contents, finish, [DONE]
    assertThat(json.readTree(data.get(3)).has("usage")).isFalse();
  }

  @Test
  void overloadBeforeTheFirstTokenIs503EvenWhenStreaming() {
    engine.script = request -> Flux.error(new EngineOverloadedException("all slots busy"));
    for (String body : List.of(PLAIN, PYTHON_CLIENT_STREAM)) {
      JsonNode error = json.readTree(post(body).expectStatus().isEqualTo(503)
          .expectHeader().valueEquals("Retry-After", "1")
          .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
          .expectBody(String.class).returnResult().getResponseBody()).path("error");
      assertThat(error.path("code").asString()).isEqualTo("overloaded");
      assertThat(error.path("type").asString()).isEqualTo("server_error");
      assertThat(error.path("message").asString()).contains("all slots busy");
    }
    assertThat(engine.closed.get()).isEqualTo(2);
  }

  @Test
  void engineNotReadyIs503() {
    engine.ready = false;
    assertThat(postJson(PLAIN, 503).path("error").path("code").asString()).isEqualTo("overloaded");
    assertThat(engine.opened.get()).isZero();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"TIMEOUT, 504, timeout", "UNAVAILABLE, 503, upstream_unavailable",
      "REJECTED, 502, upstream_rejected", "FAILED, 500, engine_failed"})
  void engineFailuresGetTheirStatus(EngineFailureException.Kind kind, int status, String code) {
    engine.script = request -> Flux.error(new EngineFailureException(kind, "it broke"));
    assertThat(postJson(PYTHON_CLIENT_STREAM, status).path("error").path("code").asString()).isEqualTo(code);
  }

  @Test
  void failureAfterTheFirstTokenArrivesAsAnErrorEventThenDone() {
    engine.script = request -> ScriptedEngine.words(" Hello")
        .concatWith(Flux.error(new EngineFailureException(EngineFailureException.Kind.FAILED, "cut")));
    List<String> data = events(post(PYTHON_CLIENT_STREAM).expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody());

    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonNode error = json.readTree(data.get(data.size() - 2)).path("error");
    assertThat(error.path("code").asString()).isEqualTo("engine_failed");
    assertThat(error.path("message").asString()).contains("cut");
    assertThat(json.readTree(data.get(1)).path("choices").get(0).path("delta").path("content").asString())
        .isEqualTo(" Hello");
  }

  @Test
  void unknownModelIs404() {
    JsonNode error = postJson(PLAIN.replace("scripted-model", "gpt-4o"), 404).path("error");
    assertThat(error.path("code").asString()).isEqualTo("model_not_found");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(engine.opened.get()).isZero();
  }

  @Test
  void badRequestIs400WithOpenAiErrorObject() {
    JsonNode error = postJson("{\"messages\": [{\"role\": \"assistant\", \"content\": \"Hello\"}]}", 400).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asString()).isEqualTo("messages");
    assertThat(error.path("message").asString()).contains("continue_final_message");
    assertThat(engine.opened.get()).isZero();
  }

  @Test
  void chunkedBodyOverTheRequestLimitIs413BeforeAnyWork() {
    // Without Content-Length the security filter cannot tell; the endpoint stops reading at the limit.
    byte[] piece = "{\"messages\": [{\"role\": \"user\", \"content\": \"".getBytes(StandardCharsets.UTF_8);
    byte[] filler = "a".repeat(1000).getBytes(StandardCharsets.UTF_8);
    Flux<DataBuffer> body = Flux.concat(Flux.just(piece), Flux.range(0, 9).map(i -> filler))
        .map(DefaultDataBufferFactory.sharedInstance::wrap);
    String text = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
        .body(body, DataBuffer.class).exchange()
        .expectStatus().isEqualTo(413).expectBody(String.class).returnResult().getResponseBody();
    assertThat(json.readTree(text).path("error").path("code").asString()).isEqualTo("request_too_large");
    assertThat(engine.opened.get()).isZero();
  }

  @Test
  void missingApiKeyIsRefusedByTheServiceFilter() {
    anonymous.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).bodyValue(PLAIN)
        .exchange().expectStatus().isUnauthorized();
    anonymous.get().uri("/v1/models").exchange().expectStatus().isUnauthorized();
    assertThat(engine.opened.get()).isZero();
  }

  @Test
  void listsTheEngineModel() {
    JsonNode body = json.readTree(client.get().uri("/v1/models").exchange().expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody());
    assertThat(body.path("object").asString()).isEqualTo("list");
    assertThat(body.path("data")).hasSize(1);
    assertThat(body.path("data").get(0).path("id").asString()).isEqualTo(ScriptedEngine.MODEL);
    assertThat(body.path("data").get(0).path("object").asString()).isEqualTo("model");

    client.get().uri("/v1/models/" + ScriptedEngine.MODEL).exchange().expectStatus().isOk();
    client.get().uri("/v1/models/other").exchange().expectStatus().isNotFound();
    // An id of several segments, as upstream ids are, gets the typed answer too.
    JsonNode missing = json.readTree(client.get().uri("/v1/models/acme/other-7b").exchange().expectStatus().isNotFound()
        .expectBody(String.class).returnResult().getResponseBody());
    assertThat(missing.path("error").path("code").asString()).isEqualTo("model_not_found");
    assertThat(missing.path("error").path("message").asString()).contains("acme/other-7b");
  }

  @Test
  void clientCancellingTheStreamCancelsTheEngineAndClosesTheConversation() {
    // An endless reply, one token per 20 ms, produced only as fast as it is requested.
    engine.script = request -> Flux.range(1, Integer.MAX_VALUE)
        .map(i -> new ContinuationChunk(" la", 3, i)).delayElements(Duration.ofMillis(20));
    List<String> received = WebClient.create("http://127.0.0.1:" + port).post().uri("/v1/chat/completions")
        .contentType(MediaType.APPLICATION_JSON)
        .header("Authorization", "Bearer test-key")
        .bodyValue(PYTHON_CLIENT_STREAM.replace("\"max_tokens\":32", "\"max_tokens\":100"))
        .retrieve().bodyToFlux(String.class)
        .take(4)
        .collectList().block(Duration.ofSeconds(10));

    assertThat(received).hasSize(4);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(engine.cancelled.get()).isEqualTo(1);
      assertThat(engine.closed.get()).isEqualTo(1);
    });
  }

  @Test
  void streamingNeverAsksTheEngineForUnboundedDemand() {
    String[] words = new String[60];
    Arrays.fill(words, " la");
    engine.script = request -> ScriptedEngine.words(words);
    post(PYTHON_CLIENT_STREAM.replace("\"max_tokens\":32", "\"max_tokens\":100")).expectStatus().isOk()
        .expectBody(String.class).returnResult();

    assertThat(engine.requested).isNotEmpty().doesNotContain(Long.MAX_VALUE);
  }

  @Test
  void awaitFirstFailsOnAnErrorBeforeAnyElement() {
    assertThatThrownBy(() -> ChatCompletionsHandler.awaitFirst(Flux.error(new EngineOverloadedException("full"))).block())
        .isInstanceOf(EngineOverloadedException.class);
  }

  @Test
  void awaitFirstReplaysTheFirstElementAndSubscribesOnce() {
    AtomicInteger subscriptions = new AtomicInteger();
    Flux<Integer> source = Flux.range(1, 3).doOnSubscribe(s -> subscriptions.incrementAndGet());
    Flux<Integer> flowing = ChatCompletionsHandler.awaitFirst(source).block();
    assertThat(flowing.collectList().block()).containsExactly(1, 2, 3);
    assertThat(subscriptions.get()).isEqualTo(1);
    assertThat(ChatCompletionsHandler.awaitFirst(Flux.<Integer>empty()).block().collectList().block()).isEmpty();
  }

  @Test
  void awaitFirstPassesCancellationToTheSource() {
    AtomicInteger cancelled = new AtomicInteger();
    Flux<Integer> source = Flux.range(1, Integer.MAX_VALUE).delayElements(Duration.ofMillis(5))
        .doOnCancel(cancelled::incrementAndGet);
    assertThat(ChatCompletionsHandler.awaitFirst(source).block().take(3).collectList().block()).containsExactly(1, 2, 3);
    assertThat(cancelled.get()).isEqualTo(1);
  }
}

package dev.overture.cloud.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.EngineFailureException.Kind;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

class OpenAiContinuationEngineTest {
  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final ConversationContext CONTEXT = new ConversationContext(
      List.of(new HistoryItem(Role.USER, "Hi!"), new HistoryItem(Role.ASSISTANT, "Hello! How can I help?")),
      "Do you like music?");
  private static final ContinuationRequest REQUEST =
      new ContinuationRequest(CONTEXT, "Sure, I love electronic", 64);

  private final List<OpenAiContinuationEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(OpenAiContinuationEngine::close);
  }

  private static OpenAiEngineProperties properties(
      OpenAiEngineProperties.Prefill prefill, Duration firstByte, Duration idle, String extraBody, boolean probe) {
    return new OpenAiEngineProperties(
        URI.create(upstream.baseUrl()), "sk-test-secret", "served-model", prefill, null,
        Duration.ofSeconds(2), firstByte, idle, 128, extraBody, 16, probe);
  }

  private static OpenAiEngineProperties properties() {
    return properties(OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE,
        Duration.ofSeconds(5), Duration.ofSeconds(5), null, false);
  }

  private OpenAiContinuationEngine engine(OpenAiEngineProperties properties) {
    return engine(properties, UnaryOperator.identity());
  }

  private OpenAiContinuationEngine engine(OpenAiEngineProperties properties, UnaryOperator<HttpClient> customizer) {
    OpenAiContinuationEngine engine = new OpenAiContinuationEngine(properties, customizer);
    engines.add(engine);
    return engine;
  }

  /** An OpenAI-style SSE body: a role chunk, one chunk per piece, a usage chunk, then [DONE]. */
  private static String sse(String... pieces) {
    return events(pieces) + "data: [DONE]\n\n";
  }

  private static String events(String... pieces) {
    StringBuilder body = new StringBuilder();
    body.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}"));
    for (String piece : pieces) {
      body.append(chunk("{\"content\":\"" + piece + "\"}"));
    }
    body.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":" + pieces.length + ",\"total_tokens\":" + (31 + pieces.length) + "}}\n\n");
    return body.toString();
  }

  private static String chunk(String delta) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"served-model\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n";
  }

  private static ResponseDefinitionBuilder streaming(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
  }

  private static void stub(ResponseDefinitionBuilder response) {
    upstream.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(response));
  }

  private static String text(List<ContinuationChunk> chunks) {
    return chunks.stream().map(ContinuationChunk::text).collect(Collectors.joining());
  }

  private static List<ContinuationChunk> collect(EngineConversation conversation, ContinuationRequest request) {
    return conversation.continueReply(request).collectList().block(Duration.ofSeconds(10));
  }

  private static EngineFailureException failure(EngineConversation conversation) {
    Throwable thrown = null;
    try {
      collect(conversation, REQUEST);
    } catch (Throwable t) {
      thrown = t;
    }
    assertThat(thrown).isInstanceOf(EngineFailureException.class);
    return (EngineFailureException) thrown;
  }

  @Test
  void streamsDribbledChunksAsDeltasWithUsage() {
    stub(streaming(sse(" music,", " especially", " ambient.")).withChunkedDribbleDelay(6, 300));
    List<ContinuationChunk> chunks = collect(engine(properties()).open("c1"), REQUEST);

    assertThat(text(chunks)).isEqualTo(" music, especially ambient.");
    assertThat(chunks).allSatisfy(c -> assertThat(c.completionTokens()).isPositive());
    ContinuationChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.promptTokens()).isEqualTo(31);
    assertThat(last.completionTokens()).isEqualTo(3);
  }

  @Test
  void aLengthFinishMarksTheLastChunkCutShort() {
    String lengthFinish = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{},\"finish_reason\":\"length\"}]}\n\n";
    stub(streaming(chunk("{\"content\":\" music\"}") + lengthFinish + "data: [DONE]\n\n"));
    List<ContinuationChunk> chunks = collect(engine(properties()).open("c1"), REQUEST);

    assertThat(text(chunks)).isEqualTo(" music");
    assertThat(chunks.get(chunks.size() - 1).cutShort()).isTrue();
  }

  @Test
  void aStopFinishIsNotCutShort() {
    stub(streaming(sse(" music.")));
    List<ContinuationChunk> chunks = collect(engine(properties()).open("c1"), REQUEST);

    assertThat(chunks).noneMatch(ContinuationChunk::cutShort);
  }

  @Test
  void sendsHistoryUserAndPrefixWithContinueFlagsAndBearerKey() {
    stub(streaming(sse(" music.")));
    collect(engine(properties()).open("c1"), REQUEST);

    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer sk-test-secret"))
        .withRequestBody(matchingJsonPath("$.model", equalTo("served-model")))
        .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
        .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
        .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("64")))
        .withRequestBody(matchingJsonPath("$.continue_final_message", equalTo("true")))
        .withRequestBody(matchingJsonPath("$.add_generation_prompt", equalTo("false")))
        .withRequestBody(matchingJsonPath("$.messages.length()", equalTo("4")))
        .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
        .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Hello! How can I help?")))
        .withRequestBody(matchingJsonPath("$.messages[2].content", equalTo("Do you like music?")))
        .withRequestBody(matchingJsonPath("$.messages[3].role", equalTo("assistant")))
        .withRequestBody(matchingJsonPath("$.messages[3].content", equalTo("Sure, I love electronic"))));
  }

  @Test
  void capsMaxTokensAtTheConfiguredLimit() {
    stub(streaming(sse(" music.")));
    collect(engine(properties()).open("c1"), new ContinuationRequest(CONTEXT, "Sure,", 4096));

    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("128"))));
  }

  @Test
  void emptyPrefixAsksForAFreshMessageWithoutContinueFlags() {
    stub(streaming(sse("Yes,", " I do.")));
    List<ContinuationChunk> chunks =
        collect(engine(properties()).open("c1"), new ContinuationRequest(CONTEXT, "", 64));

    assertThat(text(chunks)).isEqualTo("Yes, I do.");
    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.messages.length()", equalTo("3")))
        .withRequestBody(matchingJsonPath("$.messages[2].role", equalTo("user")))
        .withRequestBody(not(matchingJsonPath("$.continue_final_message")))
        .withRequestBody(not(matchingJsonPath("$.add_generation_prompt"))));
  }

  @Test
  void extraBodyMayNotAskForSeveralChoicesOrALongerReply() {
    for (String field : List.of("n", "max_completion_tokens", "logprobs")) {
      assertThatThrownBy(() -> engine(properties(OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE,
              Duration.ofSeconds(5), Duration.ofSeconds(5), "{\"" + field + "\": 2}", false)))
          .as(field)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + field + "'");
    }
  }

  @Test
  void trailingAssistantStyleSendsThePrefixWithoutFlagsAndMergesExtraBody() {
    stub(streaming(sse(" music.")));
    OpenAiEngineProperties llamaCpp = properties(OpenAiEngineProperties.Prefill.TRAILING_ASSISTANT,
        Duration.ofSeconds(5), Duration.ofSeconds(5), "{\"top_k\": 20, \"cache_prompt\": true}", false);
    collect(engine(llamaCpp).open("c1"), REQUEST);

    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.messages[3].content", equalTo("Sure, I love electronic")))
        .withRequestBody(matchingJsonPath("$.top_k", equalTo("20")))
        .withRequestBody(matchingJsonPath("$.cache_prompt", equalTo("true")))
        .withRequestBody(not(matchingJsonPath("$.continue_final_message"))));
  }

  @Test
  void joinsAContinuationThatRestartsTheLastWord() {
    stub(streaming(sse("elec", "tronic", " music.")));
    assertThat(text(collect(engine(properties()).open("c1"), REQUEST))).isEqualTo(" music.");
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({"429, UNAVAILABLE", "503, UNAVAILABLE", "400, REJECTED", "401, REJECTED", "404, REJECTED",
      "500, FAILED", "502, FAILED", "504, TIMEOUT"})
  void mapsHttpErrors(int status, Kind kind) {
    stub(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"nope: key sk-test-secret\",\"type\":\"x\"}}"));
    EngineFailureException failure = failure(engine(properties()).open("c1"));

    assertThat(failure.kind()).isEqualTo(kind);
    assertThat(failure.getMessage()).contains(String.valueOf(status)).contains("nope").doesNotContain("sk-test-secret");
  }

  @Test
  void malformedChunkedEncodingFails() {
    stub(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    assertThat(failure(engine(properties()).open("c1")).kind()).isEqualTo(Kind.FAILED);
  }

  @Test
  void connectionResetFails() {
    stub(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertThat(failure(engine(properties()).open("c1")).kind()).isEqualTo(Kind.FAILED);
  }

  @Test
  void streamCutBeforeDoneFailsAfterTheDeltasItCarried() {
    stub(streaming(events(" music,", " especially")));
    List<String> seen = new ArrayList<>();
    StepVerifier.create(engine(properties()).open("c1").continueReply(REQUEST).map(ContinuationChunk::text))
        .recordWith(() -> seen)
        .thenConsumeWhile(t -> true)
        .expectErrorSatisfies(e -> {
          assertThat(((EngineFailureException) e).kind()).isEqualTo(Kind.FAILED);
          assertThat(e).hasMessageContaining("[DONE]");
        })
        .verify(Duration.ofSeconds(10));
    assertThat(String.join("", seen)).isEqualTo(" music, especially");
  }

  @Test
  void chunkThatIsNotJsonFails() {
    stub(streaming(chunk("{\"content\":\" music\"}") + "data: {not json\n\n" + "data: [DONE]\n\n"));
    EngineFailureException failure = failure(engine(properties()).open("c1"));
    assertThat(failure.kind()).isEqualTo(Kind.FAILED);
    assertThat(failure).hasMessageContaining("malformed");
  }

  @Test
  void errorObjectInTheStreamFails() {
    stub(streaming(chunk("{\"content\":\" music\"}")
        + "data: {\"error\":{\"message\":\"engine dead\",\"code\":500}}\n\n"));
    EngineFailureException failure = failure(engine(properties()).open("c1"));
    assertThat(failure.kind()).isEqualTo(Kind.FAILED);
    assertThat(failure).hasMessageContaining("engine dead");
  }

  /** The failure of a reply on an engine with these timeouts. */
  private EngineFailureException failureWithin(Duration firstByte, Duration idle) {
    return failure(engine(properties(OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE, firstByte, idle, null, false))
        .open("c1"));
  }

  @Test
  void slowFirstByteTimesOut() {
    stub(streaming(sse(" music.")).withFixedDelay(1500));
    EngineFailureException failure = failureWithin(Duration.ofMillis(300), Duration.ofSeconds(5));
    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failure).hasMessageContaining("first-byte-timeout");
  }

  @Test
  void stallBetweenChunksTimesOut() {
    // Two dribbled pieces 1.5 s apart: the first arrives at once, the second after the idle limit.
    stub(streaming(sse(" music,", " especially", " ambient.")).withChunkedDribbleDelay(2, 3000));
    EngineFailureException failure = failureWithin(Duration.ofSeconds(5), Duration.ofMillis(400));
    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(failure).hasMessageContaining("idle-timeout");
  }

  @Test
  void unreachableUpstreamIsUnavailable() {
    OpenAiEngineProperties nowhere = new OpenAiEngineProperties(URI.create("http://127.0.0.1:1"), null, "m",
        OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE, null, Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(5), 128, null, 4, false);
    assertThat(failure(engine(nowhere).open("c1")).kind()).isEqualTo(Kind.UNAVAILABLE);
  }

  /** 40 pieces over 8 s: a reply that is still streaming long after its first delta. */
  private static void stubLongStream() {
    String[] pieces = new String[40];
    Arrays.fill(pieces, " la");
    stub(streaming(sse(pieces)).withChunkedDribbleDelay(40, 8000));
  }

  @Test
  void cancellingTheReplyClosesTheUpstreamConnection() throws InterruptedException {
    stubLongStream();
    CountDownLatch closed = new CountDownLatch(1);
    OpenAiContinuationEngine engine = engine(properties(),
        http -> http.doOnConnected(c -> c.channel().closeFuture().addListener(f -> closed.countDown())));
    CountDownLatch firstDelta = new CountDownLatch(1);

    Disposable subscription = engine.open("c1").continueReply(REQUEST).subscribe(c -> firstDelta.countDown());
    assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
    subscription.dispose();

    assertThat(closed.await(10, TimeUnit.SECONDS)).as("upstream connection closed").isTrue();
  }

  @Test
  void closingTheConversationEndsAReplyInFlight() throws InterruptedException {
    stubLongStream();
    EngineConversation conversation = engine(properties()).open("c1");
    CountDownLatch firstDelta = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);

    conversation.continueReply(REQUEST).doFinally(s -> ended.countDown()).subscribe(c -> firstDelta.countDown());
    assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
    conversation.close();

    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> collect(conversation, REQUEST)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void probeMakesTheEngineReadyOnceTheUpstreamListsModels() {
    upstream.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(503)));
    OpenAiContinuationEngine engine = engine(properties(OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE,
        Duration.ofSeconds(5), Duration.ofSeconds(5), null, true));
    await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> !engine.ready());

    upstream.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"object\":\"list\",\"data\":[{\"id\":\"served-model\",\"object\":\"model\"}]}")));
    // The probe backs off from 500 ms with jitter: its next try can come several seconds later.
    await().atMost(Duration.ofSeconds(20)).until(engine::ready);
  }

  @Test
  void withoutProbeTheEngineIsReadyOnceConfigured() {
    OpenAiContinuationEngine engine = engine(properties());
    assertThat(engine.ready()).isTrue();
    assertThat(engine.kind()).isEqualTo("openai");
    assertThat(engine.modelId()).isEqualTo("served-model");
    engine.close();
    assertThat(engine.ready()).isFalse();
  }

  @Test
  void acceptsABaseUrlThatEndsInV1() {
    stub(streaming(sse(" music.")));
    OpenAiEngineProperties withV1 = new OpenAiEngineProperties(URI.create(upstream.baseUrl() + "/v1/"), null,
        "served-model", OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE, null, Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(5), 128, null, 4, false);
    assertThat(text(collect(engine(withV1).open("c1"), REQUEST))).isEqualTo(" music.");
  }

  @Test
  void rejectsIncompleteOrInvalidConfiguration() {
    assertThatThrownBy(() -> new OpenAiContinuationEngine(new OpenAiEngineProperties(null, null, "m",
        OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE, null, Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), 1, null, 1, false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base-url");
    assertThatThrownBy(() -> new OpenAiContinuationEngine(properties(OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE,
        Duration.ofSeconds(1), Duration.ofSeconds(1), "{\"stream\": false}", false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'stream'");
    assertThatThrownBy(() -> new OpenAiContinuationEngine(properties(OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE,
        Duration.ofSeconds(1), Duration.ofSeconds(1), "[1]", false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
  }

  @Test
  void propertiesNeverShowTheApiKey() {
    assertThat(properties().toString()).doesNotContain("sk-test-secret").contains("apiKey=(set)");
  }

  @Test
  void neitherScoresNorPrefills() {
    EngineConversation conversation = engine(properties()).open("c1");
    conversation.updateContext(CONTEXT);
    assertThat(conversation.scoreOpener(CONTEXT, List.of("Sure,")).block().scored()).isFalse();
    assertThat(upstream.getAllServeEvents()).isEmpty();
  }
}

package dev.overture.cloud.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * Hostile input on the HTTP bindings, {@code POST /v1/continue} and {@code POST
 * /v1/chat/completions}, over real HTTP: each case gets its status and typed error body, and a
 * fresh request works afterwards.
 */
class HostileHttpTest extends HostileService {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};
  private static final int FRAME_LIMIT = 65_536; // /v1/continue: max_frame_bytes
  private static final int REQUEST_LIMIT = 1 << 20; // /v1/chat/completions: max-request-bytes

  @Autowired WebTestClient web;

  /** One of the two bindings, with a request body around a user text. */
  record Binding(String uri, String before, String after) {
    byte[] body(String userText) {
      return (before + userText + after).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid body padded with a member the endpoint ignores to exactly {@code bytes} bytes. */
    byte[] bodyOfSize(int bytes) {
      String head = before + "Hi" + after.substring(0, after.length() - 1) + ",\"pad\":\"";
      return (head + "x".repeat(bytes - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return uri;
    }
  }

  static final Binding CONTINUE =
      new Binding("/v1/continue", "{\"protocol_version\":1,\"turn_id\":\"t1\",\"history\":[],\"user_text\":\"",
          "\",\"opener_words\":[\"Sure,\"]}");
  static final Binding CHAT =
      new Binding("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"", "\"}],\"max_tokens\":4}");

  static Stream<Binding> bindings() {
    return Stream.of(CONTINUE, CHAT);
  }

  private WebTestClient.ResponseSpec post(Binding binding, byte[] body) {
    return web.post().uri(binding.uri())
        .headers(h -> h.setBearerAuth(KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  /** The typed error body of a refused request: a protocol error event with an OpenAI-style error. */
  private Map<String, Object> refused(Binding binding, byte[] body, HttpStatus status) {
    return post(binding, body).expectStatus().isEqualTo(status).expectBody(JSON).returnResult().getResponseBody();
  }

  /** The code a refusal names: the protocol's on /v1/continue, OpenAI's on chat completions. */
  @SuppressWarnings("unchecked")
  private static String code(Map<String, Object> error) {
    return error.containsKey("code") ? (String) error.get("code") : (String) ((Map<String, Object>) error.get("error")).get("code");
  }

  @SuppressWarnings("unchecked")
  private static String message(Map<String, Object> error) {
    return error.containsKey("message") ? (String) error.get("message") : (String) ((Map<String, Object>) error.get("error")).get("message");
  }

  /** A fresh, well-formed request on {@code binding} is served: nothing was left broken. */
  private void aFreshRequestWorks(Binding binding) {
    String body = post(binding, binding.body("Do you like music?")).expectStatus().isOk()
        .expectBody(String.class).returnResult().getResponseBody();
    assertThat(body).contains(binding == CONTINUE ? "continuation.done" : "chat.completion");
  }

  // ---- Sizes. ----

  @ParameterizedTest
  @MethodSource("bindings")
  void aBodyAtTheLimitIsServed(Binding binding) {
    byte[] body = binding.bodyOfSize(binding == CONTINUE ? FRAME_LIMIT : REQUEST_LIMIT);
    post(binding, body).expectStatus().isOk();
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void aBodyOneByteOverTheLimitIsRefusedWith413(Binding binding) {
    byte[] body = binding.bodyOfSize((binding == CONTINUE ? FRAME_LIMIT : REQUEST_LIMIT) + 1);
    assertThat(code(refused(binding, body, HttpStatus.CONTENT_TOO_LARGE))).isIn("frame_too_large", "request_too_large");
    aFreshRequestWorks(binding);
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void aDeclaredBodyOfFiveMegabytesIsRefusedBeforeItIsReadWith413(Binding binding) {
    assertThat(code(refused(binding, binding.bodyOfSize(5 << 20), HttpStatus.CONTENT_TOO_LARGE))).isEqualTo("frame_too_large");
    aFreshRequestWorks(binding);
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void aChunkedBodyOfFiveMegabytesIsRefusedWhileItIsReadWith413(Binding binding) {
    Flux<DataBuffer> body = // 80 chunks of 64 KiB and no Content-Length
        Flux.range(0, 80).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
    Map<String, Object> error = web.post().uri(binding.uri())
        .headers(h -> h.setBearerAuth(KEY))
        .contentType(MediaType.APPLICATION_JSON)
        .body(body, DataBuffer.class)
        .exchange()
        .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectBody(JSON).returnResult().getResponseBody();
    assertThat(code(error)).isIn("frame_too_large", "request_too_large");
    aFreshRequestWorks(binding);
  }

  // ---- Half-open clients: the service closes what they leave open. ----

  /**
   * Sends {@code request} on a plain socket and reads until the server closes the connection;
   * returns what it answered (empty if nothing). Fails if it is still open after 15 seconds (the
   * service's timeouts here are 3 s; the margin is for a busy machine).
   */
  private String leftHalfOpen(String request) throws Exception {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aConnectionThatNeverSendsARequestIsClosedAfterTheIdleTimeout() throws Exception {
    assertThat(leftHalfOpen("")).isEmpty();
    aFreshRequestWorks(CONTINUE);
  }

  @Test
  void aRequestThatStopsInItsHeadersIsClosedAfterTheIdleTimeout() throws Exception {
    assertThat(leftHalfOpen("POST /v1/continue HTTP/1.1\r\nHost: localhost\r\n")).isEmpty();
    aFreshRequestWorks(CONTINUE);
  }

  @Test
  void aRequestThatStopsInItsBodyGetsATypedTimeoutAndIsClosed() throws Exception {
    String response = leftHalfOpen("POST /v1/continue HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"protocol_version\"");
    assertThat(response).startsWith("HTTP/1.1 408").contains("\"code\":\"timeout\"");
    aFreshRequestWorks(CONTINUE);
  }

  // ---- Context over the model's window (256 tokens), decided before any engine work. ----

  @ParameterizedTest
  @MethodSource("bindings")
  void aTextOverTheModelsWindowIsContextTooLargeNotAnEngineFailure(Binding binding) {
    double engineFailures = errors("engine_failed");
    Map<String, Object> error = refused(binding, binding.body("tell me about words ".repeat(100)), HttpStatus.BAD_REQUEST);
    assertThat(code(error)).isIn("context_too_large", "context_length_exceeded");
    assertThat(message(error)).contains("context holds 256");
    assertThat(errors("engine_failed")).isEqualTo(engineFailures);
    aFreshRequestWorks(binding);
  }

  // ---- Bytes and types. ----

  @ParameterizedTest
  @MethodSource("bindings")
  void bytesThatAreNotUtf8AreMalformedJson(Binding binding) {
    byte[] invalid = (binding.before() + "Hi \u00c3(" + binding.after()).getBytes(StandardCharsets.ISO_8859_1); // C3 28
    assertThat(code(refused(binding, invalid, HttpStatus.BAD_REQUEST))).isEqualTo("malformed_json");
    aFreshRequestWorks(binding);
  }

  @ParameterizedTest
  @MethodSource("bindings")
  void deepNestingIsMalformedJsonInTheServicesOwnWords(Binding binding) {
    String body = new String(binding.body("Hi"), StandardCharsets.UTF_8);
    byte[] deep = (body.substring(0, body.length() - 1) + ",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}")
        .getBytes(StandardCharsets.UTF_8);
    Map<String, Object> error = refused(binding, deep, HttpStatus.BAD_REQUEST);
    assertThat(code(error)).isEqualTo("malformed_json");
    assertThat(message(error)).contains("nesting deeper than 32").doesNotContain("StreamReadConstraints");
    aFreshRequestWorks(binding);
  }

  @Test
  void aNumberWhereTheContinueRequestWantsTextNamesTheMember() {
    byte[] body = "{\"protocol_version\":1,\"turn_id\":\"t1\",\"history\":[],\"user_text\":5,\"opener_words\":[]}"
        .getBytes(StandardCharsets.UTF_8);
    Map<String, Object> error = refused(CONTINUE, body, HttpStatus.BAD_REQUEST);
    assertThat(error).containsEntry("code", "invalid_event").containsEntry("message", "continue_request.user_text: must be a string");
    aFreshRequestWorks(CONTINUE);
  }

  @Test
  void aNumberWhereChatCompletionsWantTextNamesTheParameter() {
    byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":5}]}".getBytes(StandardCharsets.UTF_8);
    Map<String, Object> error = refused(CHAT, body, HttpStatus.BAD_REQUEST);
    assertThat(error.get("error")).asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("param", "messages[0].content")
        .containsEntry("message", "messages[0].content must be a string or an array of text parts");
    aFreshRequestWorks(CHAT);
  }
}

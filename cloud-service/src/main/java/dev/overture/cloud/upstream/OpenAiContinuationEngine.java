package dev.overture.cloud.upstream;

import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.EngineFailureException.Kind;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code openai} engine: continues replies on an upstream OpenAI-compatible server (vLLM,
 * SGLang, llama.cpp's server, a hosted API) by streaming {@code POST {base}/v1/chat/completions}
 * with the assistant's prefix as the final message. Non-blocking throughout (Reactor Netty).
 *
 * <p>Failures become {@link EngineFailureException}s: connect, first-event and between-event
 * timeouts and a 504 are {@code TIMEOUT}; 429, 503, a refused connection, an unknown host and an
 * exhausted connection pool are {@code UNAVAILABLE}; other 4xx are {@code REJECTED}; other 5xx, a
 * reset connection, malformed chunks, an error object in the stream and a stream that ends before {@code [DONE]} are {@code
 * FAILED}. Cancelling a reply's subscription closes its upstream connection, which stops the
 * upstream's generation (vLLM and llama.cpp abort a request whose client went away).
 *
 * <p>It cannot score openers ({@link dev.overture.cloud.engine.OpenerScore#unscored()}) and does
 * not prefill while the user speaks: there is nothing to send before the opener is committed.
 * vLLM's automatic prefix caching ({@code --enable-prefix-caching}) and SGLang's radix cache
 * recover much of that, since consecutive turns of a session share their prompt prefix.
 */
public final class OpenAiContinuationEngine implements ContinuationEngine {
  private static final Logger log = LoggerFactory.getLogger(OpenAiContinuationEngine.class);
  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};
  /**
   * Fields the engine sets itself, or that would change the reply's shape (several choices, a
   * length past the turn's cap, tool calls, log-probabilities), which {@code extra-body} may not set.
   */
  private static final Set<String> OWN_FIELDS = Set.of(
      "model", "messages", "stream", "stream_options", "max_tokens", "continue_final_message",
      "add_generation_prompt", "n", "max_completion_tokens", "tools", "tool_choice", "logprobs",
      "top_logprobs");

  private final OpenAiEngineProperties properties;
  private final JsonMapper json = JsonMapper.shared();
  private final ObjectNode extraBody;
  private final URI chatUri;
  private final URI modelsUri;
  private final ConnectionProvider connections;
  private final WebClient client;
  private final Disposable probe;
  private volatile boolean probed;
  private volatile boolean closed;

  /**
   * @throws IllegalArgumentException if the configuration is incomplete or invalid (no base URL
   *     or model, a non-positive timeout, an {@code extra-body} that is not a JSON object)
   */
  public OpenAiContinuationEngine(OpenAiEngineProperties properties) {
    this(properties, UnaryOperator.identity());
  }

  /** For tests: {@code customizer} adjusts the Reactor Netty client (to observe connections). */
  OpenAiContinuationEngine(OpenAiEngineProperties properties, UnaryOperator<HttpClient> customizer) {
    this.properties = properties;
    URI base = properties.baseUrl();
    if (base == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
      throw new IllegalArgumentException(
          "overture.engine.openai.base-url must be an http(s) URL, got " + base);
    }
    if (properties.model() == null || properties.model().isBlank()) {
      throw new IllegalArgumentException("overture.engine.openai.model is required");
    }
    requirePositive("connect-timeout", properties.connectTimeout());
    requirePositive("first-byte-timeout", properties.firstByteTimeout());
    requirePositive("idle-timeout", properties.idleTimeout());
    if (properties.maxTokens() < 1 || properties.maxConnections() < 1) {
      throw new IllegalArgumentException(
          "overture.engine.openai.max-tokens and max-connections must be positive");
    }
    this.extraBody = parseExtraBody(properties.extraBody());
    String root = base.toString().replaceAll("/+$", "");
    String api = root.endsWith("/v1") ? root : root + "/v1";
    this.chatUri = URI.create(api + "/chat/completions");
    this.modelsUri = URI.create(api + "/models");
    this.connections = ConnectionProvider.builder("overture-upstream")
        .maxConnections(properties.maxConnections())
        .pendingAcquireTimeout(properties.connectTimeout())
        // vLLM's server (uvicorn) closes idle keep-alive connections after 5 s; retire ours first
        // so that a reply never starts on a connection the server is closing.
        .maxIdleTime(Duration.ofSeconds(4))
        .build();
    HttpClient http = HttpClient.create(connections)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
    this.client = WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(customizer.apply(http)))
        .build();
    this.probe = properties.probe() ? startProbe() : null;
    log.info("openai engine: {}", properties);
  }

  @Override
  public String kind() {
    return "openai";
  }

  @Override
  public String modelId() {
    return properties.model();
  }

  @Override
  public boolean ready() {
    return !closed && (!properties.probe() || probed);
  }

  @Override
  public EngineConversation open(String conversationId) {
    if (closed) {
      throw new IllegalStateException("engine closed");
    }
    return new OpenAiConversation(this, conversationId);
  }

  @Override
  public void close() {
    closed = true;
    if (probe != null) {
      probe.dispose();
    }
    connections.dispose();
  }

  /** Streams one reply's upstream events; see {@link OpenAiConversation#continueReply}. */
  Flux<ServerSentEvent<String>> stream(String body, UpstreamReply reply) {
    return client.post()
        .uri(chatUri)
        .headers(this::authorize)
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .bodyValue(body)
        .exchangeToFlux(this::events)
        .doOnNext(event -> reply.eventArrived())
        .timeout(Mono.delay(properties.firstByteTimeout()), event -> Mono.delay(properties.idleTimeout()))
        .onErrorMap(e -> !(e instanceof EngineFailureException), e -> failure(e, reply.anyEvent()));
  }

  /** The request body for {@code request}: history, user text and the assistant prefix to continue. */
  String requestBody(ContinuationRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("model", properties.model());
    ArrayNode messages = body.putArray("messages");
    if (properties.systemPrompt() != null && !properties.systemPrompt().isEmpty()) {
      message(messages, "system", properties.systemPrompt());
    }
    for (HistoryItem item : request.context().history()) {
      message(messages, item.role() == Role.USER ? "user" : "assistant", item.text());
    }
    message(messages, "user", request.context().userText());
    boolean continuing = !request.assistantPrefix().isEmpty();
    if (continuing) {
      message(messages, "assistant", request.assistantPrefix());
    }
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    body.put("max_tokens", Math.min(request.maxTokens(), properties.maxTokens()));
    if (continuing && properties.prefill() == OpenAiEngineProperties.Prefill.CONTINUE_FINAL_MESSAGE) {
      body.put("continue_final_message", true);
      body.put("add_generation_prompt", false);
    }
    body.setAll(extraBody);
    return json.writeValueAsString(body);
  }

  JsonMapper json() {
    return json;
  }

  private static void message(ArrayNode messages, String role, String content) {
    messages.addObject().put("role", role).put("content", content);
  }

  private void authorize(HttpHeaders headers) {
    String key = properties.apiKey();
    if (key != null && !key.isEmpty()) {
      headers.setBearerAuth(key);
    }
  }

  private Flux<ServerSentEvent<String>> events(ClientResponse response) {
    if (response.statusCode().is2xxSuccessful()) {
      return response.bodyToFlux(SSE);
    }
    int status = response.statusCode().value();
    return response.bodyToMono(String.class)
        .defaultIfEmpty("")
        .flatMapMany(text -> Flux.error(statusFailure(status, text)));
  }

  private EngineFailureException statusFailure(int status, String body) {
    Kind kind;
    if (status == 429 || status == 503) {
      kind = Kind.UNAVAILABLE;
    } else if (status == 504) {
      kind = Kind.TIMEOUT;
    } else if (status >= 400 && status < 500) {
      kind = Kind.REJECTED;
    } else {
      kind = Kind.FAILED;
    }
    return new EngineFailureException(kind, "upstream answered " + status + ": " + redact(errorMessage(body)));
  }

  /** The {@code error.message} of an OpenAI-style error body, else the body itself, shortened. */
  private String errorMessage(String body) {
    try {
      JsonNode message = json.readTree(body).path("error").path("message");
      if (message.isString()) {
        return StreamedChunk.abbreviate(message.stringValue());
      }
    } catch (JacksonException e) {
      // Not JSON: report the text as it is.
    }
    return StreamedChunk.abbreviate(body.strip());
  }

  /** Servers may echo (part of) a rejected key; it never leaves this class. */
  String redact(String text) {
    String key = properties.apiKey();
    return key == null || key.isEmpty() ? text : text.replace(key, "***");
  }

  private EngineFailureException failure(Throwable e, boolean anyEvent) {
    if (e instanceof TimeoutException) {
      return new EngineFailureException(Kind.TIMEOUT, anyEvent
          ? "upstream sent nothing for " + properties.idleTimeout().toMillis() + " ms (idle-timeout)"
          : "upstream sent no first event within " + properties.firstByteTimeout().toMillis() + " ms (first-byte-timeout)", e);
    }
    if (e instanceof WebClientRequestException) {
      if (hasCause(e, ConnectTimeoutException.class)) {
        return new EngineFailureException(Kind.TIMEOUT,
            "cannot connect to upstream within " + properties.connectTimeout().toMillis() + " ms (connect-timeout)", e);
      }
      if (hasCause(e, PrematureCloseException.class)) {
        return new EngineFailureException(Kind.FAILED, "upstream closed the connection before answering", e);
      }
      if (poolExhausted(e)) {
        return new EngineFailureException(Kind.UNAVAILABLE, "upstream connection pool exhausted (max-connections)", e);
      }
      if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)) {
        return new EngineFailureException(Kind.UNAVAILABLE, "cannot reach upstream: " + redact(String.valueOf(e.getMessage())), e);
      }
      return new EngineFailureException(Kind.FAILED, "upstream request failed: " + redact(String.valueOf(e.getMessage())), e);
    }
    if (hasCause(e, PrematureCloseException.class)) {
      return new EngineFailureException(Kind.FAILED, "upstream cut the stream", e);
    }
    return new EngineFailureException(Kind.FAILED, "upstream stream failed: " + redact(String.valueOf(e.getMessage())), e);
  }

  /** Reactor Netty's pool errors are shaded internals; they are recognised by name. */
  private static boolean poolExhausted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getSimpleName().startsWith("PoolAcquire")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private Disposable startProbe() {
    return Mono.defer(this::probeOnce)
        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30)))
        .subscribe(models -> {
          probed = true;
          if (!models.contains("\"" + properties.model() + "\"")) {
            log.warn("upstream {} does not list model '{}' in {}", modelsUri, properties.model(), StreamedChunk.abbreviate(models));
          } else {
            log.info("upstream {} is up and serves '{}'", modelsUri, properties.model());
          }
        });
  }

  private Mono<String> probeOnce() {
    return client.get()
        .uri(modelsUri)
        .headers(this::authorize)
        .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
            ? response.bodyToMono(String.class).defaultIfEmpty("")
            : response.bodyToMono(String.class).defaultIfEmpty("")
                .flatMap(text -> Mono.<String>error(statusFailure(response.statusCode().value(), text))))
        .timeout(properties.firstByteTimeout())
        .doOnError(e -> log.warn("upstream probe {} failed: {}", modelsUri, redact(String.valueOf(e.getMessage()))));
  }

  private ObjectNode parseExtraBody(String text) {
    if (text == null || text.isBlank()) {
      return json.createObjectNode();
    }
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("overture.engine.openai.extra-body is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("overture.engine.openai.extra-body must be a JSON object");
    }
    for (String name : node.propertyNames()) {
      if (OWN_FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "overture.engine.openai.extra-body may not set '" + name + "': the engine sets it");
      }
    }
    return (ObjectNode) node;
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException("overture.engine.openai." + name + " must be positive, got " + value);
    }
  }
}

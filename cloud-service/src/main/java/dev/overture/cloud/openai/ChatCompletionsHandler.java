package dev.overture.cloud.openai;

import dev.overture.cloud.admission.AdmissionControl;
import dev.overture.cloud.engine.ContextTooLargeException;
import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.EngineOverloadedException;
import dev.overture.cloud.handoff.HandoffProperties;
import dev.overture.cloud.metrics.HandoffMetrics;
import dev.overture.cloud.security.RequestBodies;
import dev.overture.cloud.security.SecurityProperties;
import dev.overture.protocol.ErrorCode;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/chat/completions} and {@code GET /v1/models}, OpenAI-compatible, on whichever
 * {@link ContinuationEngine} the service runs. See {@link ChatCompletionRequest} for what a request
 * may ask.
 *
 * <p>Each completion opens its own engine conversation and holds one admission permit while it
 * generates, like a handoff turn (so graceful shutdown drains it too); when no permit is free the answer is 503 {@code overloaded} at
 * once. A streamed answer commits to HTTP 200 only after the engine produced its first chunk, so
 * overload, an engine that is not ready and upstream failures before the first token still get
 * their HTTP status; a failure after that arrives as an {@code error} event followed by {@code
 * [DONE]} (vLLM does the same). A client that disconnects cancels the engine's generation.
 *
 * <p>Statuses: 400 invalid requests (context limits: {@code overture.handoff.max-context-chars}
 * and {@code max-history-items}), 404 an unknown model, 413 a body over {@code
 * overture.security.max-request-bytes}, 503 overload or an engine that is not ready (with {@code
 * Retry-After}), and for engine failures 504 ({@code TIMEOUT}), 503 ({@code UNAVAILABLE}), 502
 * ({@code REJECTED}, and {@code FAILED} of an upstream) or 500 ({@code FAILED} in this process).
 * Every error is counted in {@code overture.errors} under the nearest protocol code.
 */
final class ChatCompletionsHandler {
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionsHandler.class);

  private final ObjectProvider<ContinuationEngine> engines;
  private final AdmissionControl admission;
  private final HandoffProperties limits;
  private final long maxRequestBytes;
  private final HandoffMetrics metrics;
  private final JsonMapper json = JsonMapper.shared();
  private final long started = Instant.now().getEpochSecond();

  ChatCompletionsHandler(
      ObjectProvider<ContinuationEngine> engines,
      AdmissionControl admission,
      HandoffProperties limits,
      SecurityProperties security,
      HandoffMetrics metrics) {
    this.engines = engines;
    this.admission = admission;
    this.limits = limits;
    this.maxRequestBytes = security.maxRequestBytes();
    this.metrics = metrics;
  }

  /**
   * Serves {@code request} only with the principal the API key filter set: a second guard, so that
   * a path the filter did not recognise as the API's is refused here too.
   */
  Mono<ServerResponse> requireKey(ServerRequest request, HandlerFunction<ServerResponse> next) {
    return request.principal().hasElement().flatMap(keyed -> keyed ? next.handle(request)
        : error(new OpenAiApiException(HttpStatus.UNAUTHORIZED, "invalid_request_error", "invalid_api_key", null, "missing bearer API key")));
  }

  Mono<ServerResponse> models(ServerRequest request) {
    ContinuationEngine engine = engines.getIfAvailable();
    ObjectNode list = json.createObjectNode().put("object", "list");
    if (engine != null) {
      list.putArray("data").add(modelObject(engine));
    } else {
      list.putArray("data");
    }
    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json.writeValueAsString(list));
  }

  Mono<ServerResponse> model(ServerRequest request) {
    ContinuationEngine engine = engines.getIfAvailable();
    String id = request.pathVariable("model").substring(1); // a capture of the rest starts with its "/"
    if (engine == null || !engine.modelId().equals(id)) {
      return error(modelNotFound(id));
    }
    return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json.writeValueAsString(modelObject(engine)));
  }

  Mono<ServerResponse> chatCompletions(ServerRequest request) {
    ContinuationEngine engine = engines.getIfAvailable();
    return body(request)
        .map(body -> ChatCompletionRequest.parse(body, json, limits))
        .flatMap(parsed -> {
          if (engine != null && parsed.model() != null && !parsed.model().equals(engine.modelId())) {
            return Mono.error(modelNotFound(parsed.model()));
          }
          if (engine == null || !engine.ready()) {
            return Mono.error(new EngineOverloadedException(
                engine == null ? "no continuation engine is configured" : "the engine is not ready (model loading)"));
          }
          engine.requireFits(parsed.context(), parsed.assistantPrefix()); // before any engine work
          String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
          ChatCompletionWriter writer = new ChatCompletionWriter(
              json, id, Instant.now().getEpochSecond(), engine.modelId(), parsed.includeUsage());
          Flux<ContinuationChunk> chunks = generate(engine, parsed, id);
          return parsed.stream() ? stream(chunks, parsed, writer) : complete(chunks, parsed, writer);
        })
        .onErrorResume(e -> error(translate(e, engine)));
  }

  /** The engine's chunks for one completion, holding a permit and a conversation while they flow. */
  private Flux<ContinuationChunk> generate(ContinuationEngine engine, ChatCompletionRequest parsed, String id) {
    ContinuationRequest continuation =
        new ContinuationRequest(parsed.context(), parsed.assistantPrefix(), parsed.maxTokens());
    Flux<ContinuationChunk> reply = Flux.using(
        () -> engine.open(id), conversation -> conversation.continueReply(continuation), EngineConversation::close);
    return admission.acquire().flatMapMany(permit -> {
      TurnMeter meter = new TurnMeter(parsed.maxTokens());
      return reply.doOnNext(meter::chunk).doFinally(signal -> {
        permit.release();
        meter.end(signal);
      });
    });
  }

  /**
   * A completion counted as one turn in the service's metrics: the request is the commit, so the
   * first-word time runs from the engine permit to the first non-empty chunk. Signals arrive in
   * series (Reactive Streams), so plain fields suffice.
   */
  private final class TurnMeter {
    private final long start = System.nanoTime();
    private final int maxTokens;
    private final Tally tally = new Tally();
    private long firstWordNanos = -1;

    TurnMeter(int maxTokens) {
      this.maxTokens = maxTokens;
    }

    void chunk(ContinuationChunk chunk) {
      tally.add(chunk);
      if (firstWordNanos < 0 && !chunk.text().isEmpty()) {
        firstWordNanos = System.nanoTime();
        metrics.firstWord(firstWordNanos - start);
      }
    }

    void end(SignalType signal) {
      if (signal == SignalType.ON_COMPLETE) {
        metrics.turnEnded("length".equals(tally.finishReason(maxTokens)) ? "truncated" : "completed");
        long nanos = System.nanoTime() - start; // as the WebSocket turns measure it: generation start to end
        if (tally.completionTokens > 0 && nanos > 0) {
          metrics.tokensPerSecond(tally.completionTokens * 1e9 / nanos);
        }
      } else {
        metrics.turnEnded(signal == SignalType.ON_ERROR ? "failed" : "cancelled");
      }
    }
  }

  private Mono<ServerResponse> complete(
      Flux<ContinuationChunk> chunks, ChatCompletionRequest parsed, ChatCompletionWriter writer) {
    return chunks.collectList().flatMap(list -> {
      StringBuilder content = new StringBuilder();
      Tally tally = new Tally();
      list.forEach(chunk -> {
        content.append(chunk.text());
        tally.add(chunk);
      });
      String body = writer.completion(
          content.toString(), tally.finishReason(parsed.maxTokens()), tally.promptTokens, tally.completionTokens);
      return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    });
  }

  private Mono<ServerResponse> stream(
      Flux<ContinuationChunk> chunks, ChatCompletionRequest parsed, ChatCompletionWriter writer) {
    return awaitFirst(chunks).flatMap(flowing -> {
      Tally tally = new Tally();
      Flux<String> data = Flux.concat(
              Mono.just(writer.roleChunk()),
              flowing.doOnNext(tally::add).filter(c -> !c.text().isEmpty()).map(c -> writer.contentChunk(c.text())),
              Mono.fromSupplier(() -> writer.finishChunk(tally.finishReason(parsed.maxTokens()))),
              Mono.fromSupplier(() -> writer.usageChunk(tally.promptTokens, tally.completionTokens))
                  .filter(usage -> parsed.includeUsage()))
          .onErrorResume(e -> {
            OpenAiApiException failure = translate(e, engines.getIfAvailable());
            metrics.error(failure.protocolCode());
            return Mono.just(ChatCompletionWriter.error(
                json, failure.getMessage(), failure.type(), failure.param(), failure.code()));
          })
          .concatWith(Mono.just("[DONE]"));
      return ServerResponse.ok()
          .contentType(MediaType.TEXT_EVENT_STREAM)
          .body(BodyInserters.fromServerSentEvents(data.map(d -> ServerSentEvent.builder(d).build())));
    });
  }

  /**
   * Waits for {@code source}'s first signal: an error fails the Mono (so that it still becomes an
   * HTTP status), anything else gives a Flux that replays that signal and continues the source.
   * The source is subscribed once.
   */
  static <T> Mono<Flux<T>> awaitFirst(Flux<T> source) {
    return source
        .switchOnFirst(
            (first, whole) -> first.isOnError() ? Flux.<Flux<T>>error(first.getThrowable()) : Flux.just(whole),
            false)
        .single();
  }

  /**
   * Reads the body, refusing more than {@code overture.security.max-request-bytes} before reading
   * it all (the security filter checks a declared {@code Content-Length}; this catches chunked
   * bodies).
   */
  private Mono<byte[]> body(ServerRequest request) {
    int max = (int) Math.min(Integer.MAX_VALUE, maxRequestBytes);
    return RequestBodies.read(request, max, "overture.security.max-request-bytes")
        .onErrorMap(RequestBodies.RefusedException.class, e -> new OpenAiApiException(
            e.status(), "invalid_request_error", e.code() == ErrorCode.TIMEOUT ? "timeout" : "request_too_large", null, e.getMessage()));
  }

  private OpenAiApiException translate(Throwable e, ContinuationEngine engine) {
    if (e instanceof OpenAiApiException known) {
      return known;
    }
    if (e instanceof EngineOverloadedException) {
      return new OpenAiApiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "overloaded", null, e.getMessage());
    }
    if (e instanceof ContextTooLargeException) { // the client's input, not an engine failure
      return OpenAiApiException.contextTooLarge(e.getMessage());
    }
    if (e instanceof EngineFailureException failure) {
      log.warn("chat completion failed ({}): {}", failure.kind(), failure.getMessage());
      return switch (failure.kind()) {
        case TIMEOUT -> new OpenAiApiException(HttpStatus.GATEWAY_TIMEOUT, "server_error", "timeout", null, e.getMessage());
        case UNAVAILABLE -> new OpenAiApiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", "upstream_unavailable", null, e.getMessage());
        case REJECTED -> new OpenAiApiException(HttpStatus.BAD_GATEWAY, "server_error", "upstream_rejected", null, e.getMessage());
        case FAILED -> engine != null && "openai".equals(engine.kind())
            ? new OpenAiApiException(HttpStatus.BAD_GATEWAY, "server_error", "upstream_failed", null, e.getMessage())
            : new OpenAiApiException(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", "engine_failed", null, e.getMessage());
      };
    }
    log.error("chat completion failed", e);
    return new OpenAiApiException(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", "internal", null, "internal error");
  }

  private Mono<ServerResponse> error(OpenAiApiException e) {
    metrics.error(e.protocolCode());
    ServerResponse.BodyBuilder response = ServerResponse.status(e.status()).contentType(MediaType.APPLICATION_JSON);
    if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
      response.header("Retry-After", "1");
    }
    return response.bodyValue(ChatCompletionWriter.error(json, e.getMessage(), e.type(), e.param(), e.code()));
  }

  private ObjectNode modelObject(ContinuationEngine engine) {
    return json.createObjectNode()
        .put("id", engine.modelId())
        .put("object", "model")
        .put("created", started)
        .put("owned_by", "overture-" + engine.kind());
  }

  private static OpenAiApiException modelNotFound(String model) {
    return new OpenAiApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found", "model",
        "the model '" + model + "' does not exist; GET /v1/models lists the one served");
  }

  /** Token counts as the chunks report them, the last one winning. */
  private static final class Tally {
    int promptTokens;
    int completionTokens;
    boolean cutShort;

    void add(ContinuationChunk chunk) {
      promptTokens = chunk.promptTokens();
      completionTokens = chunk.completionTokens();
      cutShort |= chunk.cutShort();
    }

    String finishReason(int maxTokens) {
      return cutShort || completionTokens >= maxTokens ? "length" : "stop";
    }
  }
}

package dev.overture.cloud.upstream;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code overture.engine.openai.*}: the upstream OpenAI-compatible server that continues replies
 * when {@code overture.engine.kind=openai}. Bound whatever the engine kind; checked only when the
 * {@code openai} engine is created, so an unused section may stay empty.
 *
 * @param baseUrl the server's root, for example {@code http://vllm:8000}; a trailing {@code /v1}
 *     is accepted too (hosted APIs are often written that way) and not doubled
 * @param apiKey sent as {@code Authorization: Bearer ...}; optional (a local vLLM needs none);
 *     never logged, and hidden from {@link #toString()}
 * @param model the upstream model name, sent in every request and reported by {@code GET
 *     /v1/models}
 * @param prefill how the server is told to continue the assistant's final message
 * @param systemPrompt an optional system message put before the history
 * @param connectTimeout the longest a TCP (and TLS) connect may take
 * @param firstByteTimeout the longest from sending a request to the first streamed event (covers
 *     the upstream's queueing and prefill)
 * @param idleTimeout the longest gap between two streamed events
 * @param maxTokens the most tokens asked per reply; a request asking fewer keeps its own number
 * @param extraBody a JSON object merged into every request body, for server-specific parameters
 *     (vLLM's {@code top_k}, {@code repetition_penalty}, {@code chat_template_kwargs}...); it may
 *     not replace {@code model}, {@code messages}, {@code stream} or {@code stream_options}
 * @param maxConnections the upstream connection pool's size: one streaming reply holds one
 *     connection, so this bounds the replies in flight upstream
 * @param probe whether to call {@code GET {base}/v1/models} at start-up (retrying with back-off)
 *     and report ready only once it answered; when false the engine is ready once configured
 */
@ConfigurationProperties("overture.engine.openai")
public record OpenAiEngineProperties(
    URI baseUrl,
    String apiKey,
    String model,
    @DefaultValue("continue-final-message") Prefill prefill,
    String systemPrompt,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("30s") Duration firstByteTimeout,
    @DefaultValue("10s") Duration idleTimeout,
    @DefaultValue("512") int maxTokens,
    String extraBody,
    @DefaultValue("256") int maxConnections,
    @DefaultValue("true") boolean probe) {

  /** How the upstream is asked to continue the final assistant message rather than start anew. */
  public enum Prefill {
    /**
     * Send {@code continue_final_message: true, add_generation_prompt: false} (vLLM; SGLang
     * accepts the same fields). The chat template then leaves the final assistant message open.
     */
    CONTINUE_FINAL_MESSAGE,
    /**
     * Only end the messages with the assistant's prefix and send no extra fields: llama.cpp's
     * server continues a trailing assistant message by itself ("prefill"), as do hosted APIs with
     * assistant prefill. A server that ignores the prefix starts a new message; {@link
     * RestatedPrefix} removes a restated prefix.
     */
    TRAILING_ASSISTANT
  }

  /** Like the record's, without the API key. */
  @Override
  public String toString() {
    return "OpenAiEngineProperties[baseUrl=" + baseUrl
        + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "(set)")
        + ", model=" + model
        + ", prefill=" + prefill
        + ", systemPrompt=" + (systemPrompt == null ? "(none)" : "(set)")
        + ", connectTimeout=" + connectTimeout
        + ", firstByteTimeout=" + firstByteTimeout
        + ", idleTimeout=" + idleTimeout
        + ", maxTokens=" + maxTokens
        + ", extraBody=" + extraBody
        + ", maxConnections=" + maxConnections
        + ", probe=" + probe + "]";
  }
}

package dev.overture.cloud.openai;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one completion's JSON in OpenAI's shapes: the {@code chat.completion} object, the {@code
 * chat.completion.chunk}s of a stream, and error objects. One per completion (it carries the id,
 * creation time and model that every chunk repeats).
 */
final class ChatCompletionWriter {
  private final JsonMapper json;
  private final String id;
  private final long created;
  private final String model;
  private final boolean includeUsage;

  ChatCompletionWriter(JsonMapper json, String id, long created, String model, boolean includeUsage) {
    this.json = json;
    this.id = id;
    this.created = created;
    this.model = model;
    this.includeUsage = includeUsage;
  }

  /** The first chunk: the assistant role, no content yet. */
  String roleChunk() {
    ObjectNode delta = json.createObjectNode().put("role", "assistant").put("content", "");
    return chunk(delta, null);
  }

  String contentChunk(String text) {
    return chunk(json.createObjectNode().put("content", text), null);
  }

  /** The last chunk with a choice: an empty delta and why generation stopped. */
  String finishChunk(String finishReason) {
    return chunk(json.createObjectNode(), finishReason);
  }

  /** The extra chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
  String usageChunk(int promptTokens, int completionTokens) {
    ObjectNode root = head("chat.completion.chunk");
    root.putArray("choices");
    root.set("usage", usage(promptTokens, completionTokens));
    return json.writeValueAsString(root);
  }

  /** The non-streamed answer. */
  String completion(String content, String finishReason, int promptTokens, int completionTokens) {
    ObjectNode root = head("chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    root.set("usage", usage(promptTokens, completionTokens));
    return json.writeValueAsString(root);
  }

  /** {@code {"error": {...}}}, as a response body or as a streamed event after a failure. */
  static String error(JsonMapper json, String message, String type, String param, String code) {
    ObjectNode root = json.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return json.writeValueAsString(root);
  }

  private String chunk(ObjectNode delta, String finishReason) {
    ObjectNode root = head("chat.completion.chunk");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    if (includeUsage) {
      root.putNull("usage"); // OpenAI sends usage: null on every chunk but the usage chunk
    }
    return json.writeValueAsString(root);
  }

  private ObjectNode head(String object) {
    return json.createObjectNode()
        .put("id", id)
        .put("object", object)
        .put("created", created)
        .put("model", model);
  }

  private ObjectNode usage(int promptTokens, int completionTokens) {
    return json.createObjectNode()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }
}

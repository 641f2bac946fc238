package dev.overture.cloud.upstream;

import dev.overture.cloud.engine.EngineFailureException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code data:} event of an upstream {@code chat.completion.chunk} stream, reduced to what a
 * continuation needs.
 *
 * @param content the text of {@code choices[0].delta.content}; empty when the event carries none
 *     (the role-only first chunk, the usage-only last chunk)
 * @param promptTokens {@code usage.prompt_tokens}, or -1 when the event has no usage
 * @param completionTokens {@code usage.completion_tokens}, or -1 when the event has no usage
 * @param end whether this is the {@code [DONE]} sentinel
 * @param lengthFinish whether {@code choices[0].finish_reason} is {@code "length"}: the upstream
 *     stopped at its token or context limit
 */
record StreamedChunk(String content, int promptTokens, int completionTokens, boolean end, boolean lengthFinish) {
  static final StreamedChunk DONE = new StreamedChunk("", -1, -1, true, false);

  boolean hasUsage() {
    return promptTokens >= 0;
  }

  /**
   * Parses one event's data.
   *
   * @throws EngineFailureException ({@code FAILED}) for anything but a chunk object or {@code
   *     [DONE]}, and for an {@code error} object the server streamed instead of a chunk
   */
  static StreamedChunk parse(String data, JsonMapper json) {
    String trimmed = data.strip();
    if ("[DONE]".equals(trimmed)) {
      return DONE;
    }
    JsonNode root;
    try {
      root = json.readTree(trimmed);
    } catch (JacksonException e) {
      throw malformed("not JSON: " + abbreviate(trimmed));
    }
    if (root == null || !root.isObject()) {
      throw malformed("not a JSON object: " + abbreviate(trimmed));
    }
    JsonNode error = root.get("error");
    if (error != null && !error.isNull()) {
      JsonNode message = error.isObject() ? error.get("message") : error;
      throw new EngineFailureException(
          EngineFailureException.Kind.FAILED,
          "upstream error in stream: " + abbreviate(message != null && message.isString() ? message.stringValue() : error.toString()));
    }
    String content = "";
    boolean lengthFinish = false;
    JsonNode choices = root.get("choices");
    if (choices != null && !choices.isNull()) {
      if (!choices.isArray()) {
        throw malformed("choices is not an array");
      }
      if (!choices.isEmpty()) {
        JsonNode finish = choices.get(0).get("finish_reason");
        lengthFinish = finish != null && finish.isString() && "length".equals(finish.stringValue());
        JsonNode delta = choices.get(0).get("delta");
        JsonNode text = delta == null || !delta.isObject() ? null : delta.get("content");
        if (text != null && !text.isNull()) {
          if (!text.isString()) {
            throw malformed("delta.content is not a string");
          }
          content = text.stringValue();
        }
      }
    }
    JsonNode usage = root.get("usage");
    if (usage != null && usage.isObject()) {
      return new StreamedChunk(
          content, usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0), false, lengthFinish);
    }
    return new StreamedChunk(content, -1, -1, false, lengthFinish);
  }

  private static EngineFailureException malformed(String detail) {
    return new EngineFailureException(EngineFailureException.Kind.FAILED, "malformed upstream chunk: " + detail);
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}

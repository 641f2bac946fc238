package dev.overture.cloud.openai;

import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.handoff.HandoffProperties;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.Role;
import dev.overture.protocol.codec.EventCodec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code POST /v1/chat/completions} body, checked and reduced to what the engine uses.
 *
 * <p>Messages: {@code user} and {@code assistant} messages make the conversation, with string
 * content or an array of {@code text} parts. {@code system} and {@code developer} messages are
 * accepted and not passed on (the engine's own system prompt applies). Other roles ({@code tool},
 * {@code function}) and non-text parts are refused. The final message is the user's turn, or, with
 * {@code continue_final_message: true} or {@code add_generation_prompt: false}, an assistant
 * message whose text the reply continues (vLLM's semantics; both flags true together is an error).
 *
 * <p>The body must be strict UTF-8 holding one JSON object under the protocol's frame rules
 * (nesting at most 32 levels, unique member names), like every other body of the service.
 *
 * <p>Parameters: {@code max_completion_tokens} (or the older {@code max_tokens}), any positive
 * integer, is capped at {@code overture.handoff.max-output-tokens}, which is also the default;
 * {@code n} must be 1;
 * {@code temperature} and {@code top_p} are range-checked and otherwise ignored, like every other
 * sampling field ({@code stop}, {@code seed}, penalties, {@code logprobs}, {@code tools}...): the
 * engine samples with its configured settings.
 *
 * @param model the requested model id, or null when the request named none
 * @param context history and the user's text
 * @param assistantPrefix the assistant text to continue, empty for a fresh reply
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code
 *     stream_options.include_usage})
 * @param maxTokens the most tokens to generate, after the cap
 */
record ChatCompletionRequest(
    String model,
    ConversationContext context,
    String assistantPrefix,
    boolean stream,
    boolean includeUsage,
    int maxTokens) {

  /**
   * Parses and checks {@code body}.
   *
   * @throws OpenAiApiException (400) for anything the endpoint cannot serve, naming the parameter
   */
  static ChatCompletionRequest parse(byte[] body, JsonMapper json, HandoffProperties limits) {
    JsonNode root;
    try {
      root = json.readTree(EventCodec.jsonObjectText(body));
    } catch (ProtocolException e) {
      throw OpenAiApiException.malformed("the body is not one JSON object in strict UTF-8 (" + e.getMessage() + ")");
    }
    String model = optionalString(root, "model");
    boolean stream = optionalBoolean(root, "stream", false);
    boolean includeUsage = false;
    JsonNode streamOptions = root.get("stream_options");
    if (streamOptions != null && !streamOptions.isNull()) {
      if (!streamOptions.isObject()) {
        throw OpenAiApiException.invalid("stream_options", "stream_options must be an object");
      }
      includeUsage = optionalBoolean(streamOptions, "include_usage", false);
    }
    BigInteger n = optionalInteger(root, "n");
    if (n != null && !n.equals(BigInteger.ONE)) {
      throw OpenAiApiException.invalid("n", "only n = 1 is supported");
    }
    checkRange(root, "temperature", 0, 2);
    checkRange(root, "top_p", 0, 1);
    int maxTokens = maxTokens(root, limits.maxOutputTokens());

    boolean continueFinal = optionalBoolean(root, "continue_final_message", false);
    JsonNode generationPrompt = root.get("add_generation_prompt");
    boolean addGenerationPrompt = optionalBoolean(root, "add_generation_prompt", true);
    if (continueFinal && generationPrompt != null && addGenerationPrompt) {
      throw OpenAiApiException.invalid("continue_final_message",
          "continue_final_message and add_generation_prompt cannot both be true");
    }

    List<HistoryItem> turns = messages(root);
    HistoryItem last = turns.get(turns.size() - 1);
    boolean continuing = last.role() == Role.ASSISTANT && (continueFinal || !addGenerationPrompt);
    if (continueFinal && last.role() != Role.ASSISTANT) {
      throw OpenAiApiException.invalid("messages",
          "continue_final_message needs an assistant message last");
    }
    if (last.role() == Role.ASSISTANT && !continuing) {
      throw OpenAiApiException.invalid("messages", "the last message must be from the user; to continue "
          + "the final assistant message set continue_final_message: true");
    }
    String prefix = continuing ? last.text() : "";
    int userIndex = turns.size() - (continuing ? 2 : 1);
    if (userIndex < 0 || turns.get(userIndex).role() != Role.USER) {
      throw OpenAiApiException.invalid("messages", "a user message must come right before the assistant message to continue");
    }
    List<HistoryItem> history = new ArrayList<>(turns.subList(0, userIndex));
    String userText = turns.get(userIndex).text();

    if (history.size() > limits.maxHistoryItems()) {
      throw OpenAiApiException.contextTooLarge(
          "at most " + limits.maxHistoryItems() + " earlier messages are accepted, got " + history.size());
    }
    long chars = codePoints(userText) + codePoints(prefix);
    for (HistoryItem item : history) {
      chars += codePoints(item.text());
    }
    if (chars > limits.maxContextChars()) {
      throw OpenAiApiException.contextTooLarge(
          "the messages hold " + chars + " characters; at most " + limits.maxContextChars() + " are accepted");
    }
    return new ChatCompletionRequest(
        model, new ConversationContext(history, userText), prefix, stream, includeUsage, maxTokens);
  }

  /** The user and assistant messages, in order (system and developer messages left out). */
  private static List<HistoryItem> messages(JsonNode root) {
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw OpenAiApiException.invalid("messages", "messages must be a non-empty array");
    }
    List<HistoryItem> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String param = "messages[" + i + "]";
      if (!message.isObject()) {
        throw OpenAiApiException.invalid(param, param + " must be an object");
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isString()) {
        throw OpenAiApiException.invalid(param + ".role", param + ".role must be a string");
      }
      String content = content(message.get("content"), param + ".content");
      switch (role.stringValue()) {
        case "user" -> turns.add(new HistoryItem(Role.USER, content));
        case "assistant" -> turns.add(new HistoryItem(Role.ASSISTANT, content));
        case "system", "developer" -> {
          // Accepted and left out: the engine's configured system prompt applies.
        }
        default -> throw OpenAiApiException.invalid(param + ".role",
            "role '" + role.stringValue() + "' is not supported (user, assistant, system, developer)");
      }
    }
    if (turns.isEmpty()) {
      throw OpenAiApiException.invalid("messages", "messages must include a user message");
    }
    return turns;
  }

  /** String content, or the concatenated text of an array of {@code text} parts. */
  private static String content(JsonNode content, String param) {
    if (content == null || content.isNull()) {
      throw OpenAiApiException.invalid(param, param + " is required (tool calls are not supported)");
    }
    if (content.isString()) {
      return content.stringValue();
    }
    if (!content.isArray()) {
      throw OpenAiApiException.invalid(param, param + " must be a string or an array of text parts");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      JsonNode partText = part.get("text");
      if (!part.isObject() || !"text".equals(part.path("type").asString(null)) || partText == null || !partText.isString()) {
        throw OpenAiApiException.invalid(param, "only text parts ({\"type\": \"text\", \"text\": ...}) are supported");
      }
      text.append(partText.stringValue());
    }
    return text.toString();
  }

  private static int maxTokens(JsonNode root, int cap) {
    String name = root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    BigInteger requested = optionalInteger(root, name);
    if (requested == null) {
      return cap;
    }
    if (requested.signum() < 1) {
      throw OpenAiApiException.invalid(name, name + " must be at least 1");
    }
    return requested.min(BigInteger.valueOf(cap)).intValueExact(); // any larger request is the cap
  }

  private static String optionalString(JsonNode node, String name) {
    JsonNode value = optional(node, name, JsonNode::isString, "a string");
    return value == null ? null : value.stringValue();
  }

  private static boolean optionalBoolean(JsonNode node, String name, boolean fallback) {
    JsonNode value = optional(node, name, JsonNode::isBoolean, "a boolean");
    return value == null ? fallback : value.booleanValue();
  }

  private static BigInteger optionalInteger(JsonNode node, String name) {
    JsonNode value = optional(node, name, JsonNode::isIntegralNumber, "an integer");
    return value == null ? null : value.bigIntegerValue();
  }

  /** Member {@code name}, or null when absent or null; a value of another type is a 400. */
  private static JsonNode optional(JsonNode node, String name, Predicate<JsonNode> typed, String type) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!typed.test(value)) {
      throw OpenAiApiException.invalid(name, name + " must be " + type);
    }
    return value;
  }

  private static void checkRange(JsonNode node, String name, double min, double max) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
      throw OpenAiApiException.invalid(name, name + " must be a number from " + min + " to " + max);
    }
  }

  private static long codePoints(String text) {
    return text.codePointCount(0, text.length());
  }
}

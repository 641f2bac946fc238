package dev.overture.cloud.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.cloud.handoff.HandoffProperties;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class ChatCompletionRequestTest {
  private static final HandoffProperties LIMITS = new HandoffProperties(65536, 100, 3, 12, 64, 200,
      Duration.ofSeconds(15), Duration.ofSeconds(45), Duration.ofSeconds(1), Duration.ofSeconds(60), 1024, 2080,
      50);

  private static ChatCompletionRequest parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static ChatCompletionRequest parse(byte[] body) {
    return ChatCompletionRequest.parse(body, JsonMapper.shared(), LIMITS);
  }

  /** The 400 error a body gets, with the parameter it names. */
  private static OpenAiApiException rejection(String json) {
    return rejection(json.getBytes(StandardCharsets.UTF_8));
  }

  private static OpenAiApiException rejection(byte[] body) {
    Throwable thrown = null;
    try {
      parse(body);
    } catch (Throwable t) {
      thrown = t;
    }
    assertThat(thrown).isInstanceOf(OpenAiApiException.class);
    OpenAiApiException e = (OpenAiApiException) thrown;
    assertThat(e.status().value()).isEqualTo(400);
    return e;
  }

  @Test
  void readsAPlainChat() {
    ChatCompletionRequest request = parse("""
        {"model": "m", "messages": [
          {"role": "system", "content": "Be brief."},
          {"role": "user", "content": "Hi!"},
          {"role": "assistant", "content": "Hello!"},
          {"role": "user", "content": [{"type": "text", "text": "Do you like "}, {"type": "text", "text": "music?"}]}],
         "max_tokens": 20, "temperature": 0.2, "top_p": 1, "seed": 3, "stop": ["\\n"]}""");

    assertThat(request.model()).isEqualTo("m");
    assertThat(request.context().history())
        .containsExactly(new HistoryItem(Role.USER, "Hi!"), new HistoryItem(Role.ASSISTANT, "Hello!"));
    assertThat(request.context().userText()).isEqualTo("Do you like music?");
    assertThat(request.assistantPrefix()).isEmpty();
    assertThat(request.maxTokens()).isEqualTo(20);
    assertThat(request.stream()).isFalse();
    assertThat(request.includeUsage()).isFalse();
  }

  @Test
  void continuesTheFinalAssistantMessageWithContinueFinalMessage() {
    ChatCompletionRequest request = parse("""
        {"messages": [{"role": "user", "content": "Do you like music?"},
                      {"role": "assistant", "content": "Sure, I love electronic"}],
         "continue_final_message": true, "add_generation_prompt": false, "stream": true,
         "stream_options": {"include_usage": true}}""");

    assertThat(request.context().userText()).isEqualTo("Do you like music?");
    assertThat(request.context().history()).isEmpty();
    assertThat(request.assistantPrefix()).isEqualTo("Sure, I love electronic");
    assertThat(request.stream()).isTrue();
    assertThat(request.includeUsage()).isTrue();
  }

  @Test
  void continuesTheFinalAssistantMessageWithoutGenerationPrompt() {
    ChatCompletionRequest request = parse("""
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Well,"}],
         "add_generation_prompt": false}""");
    assertThat(request.assistantPrefix()).isEqualTo("Well,");
  }

  @Test
  void capsMaxTokensAndDefaultsToTheCap() {
    String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]";
    assertThat(parse("{" + messages + ", \"max_completion_tokens\": 500}").maxTokens()).isEqualTo(50);
    assertThat(parse("{" + messages + ", \"max_tokens\": 9, \"max_completion_tokens\": 7}").maxTokens()).isEqualTo(7);
    assertThat(parse("{" + messages + "}").maxTokens()).isEqualTo(50);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
    "[1] | ",
    "{\"messages\": []} | messages",
    "{\"messages\": \"hi\"} | messages",
    "{\"messages\": [{\"role\": \"assistant\", \"content\": \"Hello\"}]} | messages",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"continue_final_message\": true} | messages",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hm\"}], \"continue_final_message\": true, \"add_generation_prompt\": true} | continue_final_message",
    "{\"messages\": [{\"role\": \"assistant\", \"content\": \"Hm\"}], \"continue_final_message\": true} | messages",
    "{\"messages\": [{\"role\": \"tool\", \"content\": \"42\"}]} | messages[0].role",
    "{\"messages\": [{\"role\": \"user\"}]} | messages[0].content",
    "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {}}]}]} | messages[0].content",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"n\": 2} | n",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"temperature\": 3} | temperature",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"top_p\": \"high\"} | top_p",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 0} | max_tokens",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 1.5} | max_tokens",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"stream\": \"yes\"} | stream",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"model\": 7} | model",
  })
  void rejectsWhatItCannotServe(String body, String param) {
    assertThat(rejection(body).param()).isEqualTo(param);
  }

  @Test
  void rejectsTextThatIsNotJson() {
    assertThat(rejection("{\"messages\": [").code()).isEqualTo("malformed_json");
  }

  @Test
  void rejectsBytesThatAreNotUtf8() {
    byte[] body = "{\"messages\": [{\"role\": \"user\", \"content\": \"\u00c3(\"}]}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(rejection(body).code()).isEqualTo("malformed_json");
  }

  @Test
  void deepNestingIsRefusedInTheServicesOwnWords() {
    String deep = "[".repeat(40) + "]".repeat(40);
    assertThat(rejection("{\"messages\": " + deep + "}").getMessage()).contains("nesting deeper than 32");
  }

  @Test
  void anyPositiveMaxTokensIsCappedHoweverLarge() {
    String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 1099511627776}";
    assertThat(parse(body).maxTokens()).isEqualTo(50);
  }

  @Test
  void aHugeNIsRefusedAsNotOne() {
    String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"n\": 1099511627776}";
    assertThat(rejection(body).getMessage()).isEqualTo("only n = 1 is supported");
  }

  @Test
  void enforcesTheContextLimits() {
    assertThat(rejection("{\"messages\": [{\"role\": \"user\", \"content\": \"" + "a".repeat(101) + "\"}]}").code())
        .isEqualTo("context_length_exceeded");
    String turn = "{\"role\": \"user\", \"content\": \"a\"}, ";
    assertThat(rejection("{\"messages\": [" + turn.repeat(4) + "{\"role\": \"user\", \"content\": \"b\"}]}").code())
        .isEqualTo("context_length_exceeded");
    assertThat(parse("{\"messages\": [" + turn.repeat(3) + "{\"role\": \"user\", \"content\": \"b\"}]}")
        .context().history()).hasSize(3);
  }

  @Test
  void countsCodePointsNotUtf16Units() {
    String emoji = "\uD83C\uDFB5".repeat(100); // 100 code points, 200 chars
    assertThat(parse("{\"messages\": [{\"role\": \"user\", \"content\": \"" + emoji + "\"}]}").context().userText())
        .isEqualTo(emoji);
  }

  @Test
  void anUnsupportedRoleIsNamedInTheMessage() {
    assertThatThrownBy(() -> parse("{\"messages\": [{\"role\": \"function\", \"content\": \"x\"}]}"))
        .hasMessageContaining("'function'");
  }
}

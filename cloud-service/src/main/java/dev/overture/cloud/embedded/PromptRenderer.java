package dev.overture.cloud.embedded;

import dev.overture.cloud.engine.ContextTooLargeException;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.chat.ChatMessage;
import dev.overture.lm.tokenizer.Tokenizer;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders conversations into prompt tokens with the model's chat format. A prompt that would not
 * leave {@code reserve} tokens free in the context loses its oldest history messages first; if
 * even the bare user message does not fit, rendering fails.
 */
final class PromptRenderer {

  private final ChatFormat format;
  private final Tokenizer tokenizer;
  private final int contextLength;
  private final String systemPrompt;
  /** The most UTF-8 bytes one token stands for. */
  private final int longestToken;

  PromptRenderer(ChatFormat format, Tokenizer tokenizer, int contextLength, String systemPrompt) {
    this.format = format;
    this.tokenizer = tokenizer;
    this.contextLength = contextLength;
    this.systemPrompt = systemPrompt;
    int longest = 1;
    for (int token = 0; token < tokenizer.vocabSize(); token++) {
      longest = Math.max(longest, tokenizer.tokenBytes(token).length);
    }
    this.longestToken = longest;
  }

  /**
   * The prompt while the user is still speaking: the conversation up to the user's text and the
   * header of the assistant's reply. Its tokens are a prefix of the reply prompt (up to the
   * tokenization of the last few characters), which is what makes streamed prefill pay off.
   */
  int[] context(ConversationContext context, int reserve) {
    for (int drop = 0; ; drop++) {
      int[] tokens = format.encode(tokenizer, messages(context, drop, null), true);
      if (fits(tokens, reserve) || drop == context.history().size()) {
        return requireFits(tokens, reserve);
      }
    }
  }

  /**
   * How many of the oldest history messages the reply prompt for {@code assistantPrefix} has to
   * leave out to fit.
   */
  int historyToDrop(ConversationContext context, String assistantPrefix, int reserve) {
    for (int drop = 0; drop < context.history().size(); drop++) {
      if (fits(reply(context, assistantPrefix, drop), reserve)) {
        return drop;
      }
    }
    return context.history().size();
  }

  /**
   * The prompt whose continuation extends the assistant's reply {@code assistantPrefix} (which may
   * be empty), without the oldest {@code dropHistory} history messages.
   */
  int[] reply(ConversationContext context, String assistantPrefix, int dropHistory) {
    return format.encodeContinuation(tokenizer, messages(context, dropHistory, assistantPrefix));
  }

  /**
   * Fails unless the prompt for {@code context} continued from {@code assistantPrefix}, without any
   * history, leaves {@code reserve} tokens free: history can always be dropped, the rest cannot.
   */
  void requireFits(ConversationContext context, String assistantPrefix, int reserve) {
    // No token stands for more than longestToken bytes, and text has at least one UTF-8 byte per
    // UTF-16 unit: text longer than the window could hold at that rate is refused without
    // tokenizing it, which bounds the work one request can cause.
    long units = context.userText().length() + assistantPrefix.length();
    long fewestTokens = (units + longestToken - 1) / longestToken;
    if (fewestTokens + reserve > contextLength) {
      throw new PromptTooLongException("at least " + fewestTokens, contextLength, reserve);
    }
    requireFits(reply(context, assistantPrefix, context.history().size()), reserve);
  }

  /** The prompt tokens of an empty conversation: the chat template and the system prompt. */
  int templateTokens() {
    return reply(new ConversationContext(List.of(), ""), "", 0).length;
  }

  /** Fails unless {@code tokens} leave {@code reserve} tokens of the context free. */
  int[] requireFits(int[] tokens, int reserve) {
    if (!fits(tokens, reserve)) {
      throw new PromptTooLongException(Integer.toString(tokens.length), contextLength, reserve);
    }
    return tokens;
  }

  private boolean fits(int[] tokens, int reserve) {
    return tokens.length + reserve <= contextLength;
  }

  private List<ChatMessage> messages(ConversationContext context, int dropHistory, String reply) {
    List<ChatMessage> messages = new ArrayList<>();
    if (!systemPrompt.isEmpty()) {
      messages.add(ChatMessage.system(systemPrompt));
    }
    List<HistoryItem> history = context.history();
    for (int i = dropHistory; i < history.size(); i++) {
      HistoryItem item = history.get(i);
      messages.add(
          item.role() == Role.USER
              ? ChatMessage.user(item.text())
              : ChatMessage.assistant(item.text()));
    }
    messages.add(ChatMessage.user(context.userText()));
    if (reply != null) {
      messages.add(ChatMessage.assistant(reply));
    }
    return messages;
  }

  /** The conversation does not fit the context even without its history. */
  static final class PromptTooLongException extends ContextTooLargeException {
    PromptTooLongException(String tokens, int contextLength, int reserve) {
      super(
          "the prompt needs "
              + tokens
              + " tokens, but the context holds "
              + contextLength
              + " with "
              + reserve
              + " kept free for the reply; shorten the user text or the opener");
    }
  }
}

package dev.overture.lm.chat;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import dev.overture.lm.gguf.GgufMetadataException;
import dev.overture.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A chat prompt layout, recognised from the model's {@code tokenizer.chat_template} (no Jinja
 * engine: known templates are identified by their markers and rendered by hand).
 *
 * <p>Three endings: a rendered conversation can stop after the last message, add the generation
 * prompt (the header of a new assistant turn), or <em>continue</em> its final assistant message:
 * that message is left open, without end-of-turn marker, so the model's next tokens extend it (as
 * vLLM's {@code continue_final_message}). The cloud uses this to finish an opener that the device
 * already spoke.
 *
 * <p>The rendered text holds the format's start marker itself ({@code <|begin_of_text|>} for Llama
 * 3, nothing for ChatML): never prepend BOS to it. Prefer {@link #encode} over encoding {@link
 * #render}'s text with {@link Tokenizer#encodeWithSpecials}: both give the same tokens for ordinary
 * content, but {@code encode} keeps message content from ever becoming control tokens.
 */
public enum ChatFormat {
  /**
   * ChatML (Qwen, SmolLM, Overture's own models): {@code <|im_start|>role\ncontent<|im_end|>\n};
   * generation prompt {@code <|im_start|>assistant\n}. Unlike Qwen's template, no default system
   * message is inserted.
   */
  CHATML("<|im_end|>", "<|im_start|>", "<|im_end|>") {
    @Override
    void layout(List<ChatMessage> messages, Ending ending, Segments out) {
      for (int i = 0; i < messages.size(); i++) {
        ChatMessage m = messages.get(i);
        out.special("<|im_start|>").plain(m.role().wireName() + "\n" + m.content());
        if (ending == Ending.CONTINUE && i == messages.size() - 1) {
          return;
        }
        out.special("<|im_end|>").plain("\n");
      }
      if (ending == Ending.GENERATION_PROMPT) {
        out.special("<|im_start|>").plain("assistant\n");
      }
    }
  },

  /**
   * Llama 3 (and 3.x): {@code <|begin_of_text|>} once, then {@code
   * <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per message with the content
   * trimmed as the official template does (a continued final message is kept verbatim); generation
   * prompt {@code <|start_header_id|>assistant<|end_header_id|>\n\n}.
   */
  LLAMA3("<|eot_id|>", "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>") {
    @Override
    void layout(List<ChatMessage> messages, Ending ending, Segments out) {
      out.special("<|begin_of_text|>");
      for (int i = 0; i < messages.size(); i++) {
        ChatMessage m = messages.get(i);
        boolean open = ending == Ending.CONTINUE && i == messages.size() - 1;
        out.special("<|start_header_id|>").plain(m.role().wireName()).special("<|end_header_id|>")
            .plain("\n\n" + (open ? m.content() : trim(m.content())));
        if (open) {
          return;
        }
        out.special("<|eot_id|>");
      }
      if (ending == Ending.GENERATION_PROMPT) {
        out.special("<|start_header_id|>").plain("assistant").special("<|end_header_id|>").plain("\n\n");
      }
    }
  };

  /** Metadata key of the Jinja chat template. */
  public static final String TEMPLATE_KEY = "tokenizer.chat_template";
  private static final String TOKENS_KEY = "tokenizer.ggml.tokens";

  private final String endOfTurn;
  private final List<String> specialTokens;

  ChatFormat(String endOfTurn, String... specialTokens) {
    this.endOfTurn = endOfTurn;
    this.specialTokens = Collections.unmodifiableList(Arrays.asList(specialTokens));
  }

  enum Ending { NONE, GENERATION_PROMPT, CONTINUE }

  abstract void layout(List<ChatMessage> messages, Ending ending, Segments out);

  /**
   * The format of a model: recognised from {@code tokenizer.chat_template} (ChatML if it contains
   * {@code <|im_start|>}, Llama 3 if it contains {@code <|start_header_id|>}); without a template,
   * ChatML if the vocabulary has {@code <|im_start|>}. The vocabulary must hold the format's
   * special tokens.
   *
   * @throws GgufFormatException for an unrecognised template, a missing template without ChatML
   *     tokens, or a vocabulary lacking the format's special tokens
   */
  public static ChatFormat fromGguf(GgufMetadata metadata, Tokenizer tokenizer) throws GgufFormatException {
    return detect(metadata, text -> tokenizer.tokenId(text).isPresent());
  }

  /**
   * As {@link #fromGguf(GgufMetadata, Tokenizer)}, reading the vocabulary from {@code
   * tokenizer.ggml.tokens}.
   */
  public static ChatFormat fromGguf(GgufMetadata metadata) throws GgufFormatException {
    Set<String> tokens;
    try {
      tokens = metadata.has(TOKENS_KEY) ? new HashSet<>(metadata.getStringArray(TOKENS_KEY)) : Collections.<String>emptySet();
    } catch (GgufMetadataException e) {
      throw new GgufFormatException(e.getMessage(), e);
    }
    return detect(metadata, tokens::contains);
  }

  private static ChatFormat detect(GgufMetadata metadata, Predicate<String> hasToken) throws GgufFormatException {
    Optional<String> template;
    try {
      template = metadata.findString(TEMPLATE_KEY);
    } catch (GgufMetadataException e) {
      throw new GgufFormatException(e.getMessage(), e);
    }
    ChatFormat format;
    if (template.isPresent()) {
      format = recognise(template.get()).orElseThrow(() -> new GgufFormatException(metadata.source() + ": '" + TEMPLATE_KEY
          + "' is not a chat template this runtime recognises (ChatML with <|im_start|>, Llama 3 with <|start_header_id|>); it begins: "
          + excerpt(template.get())));
    } else if (hasToken.test("<|im_start|>")) {
      format = CHATML;
    } else {
      throw new GgufFormatException(metadata.source() + ": no '" + TEMPLATE_KEY
          + "' and no <|im_start|> token: the model's chat format is unknown");
    }
    for (String special : format.specialTokens) {
      if (!hasToken.test(special)) {
        throw new GgufFormatException(metadata.source() + ": the chat template is " + format + " but the vocabulary has no "
            + special + " token");
      }
    }
    return format;
  }

  /**
   * The format whose markers {@code template} (Jinja source) contains, if any. Variants that share
   * the markers but render differently are not recognised, rather than rendered wrong: Phi-4's
   * ChatML with {@code <|im_sep|>}, and Qwen3's thinking template (whose replies open with a
   * {@code <think>} block a device must not say).
   */
  public static Optional<ChatFormat> recognise(String template) {
    if (template.contains("<|im_sep|>") || template.contains("<think>") || template.contains("enable_thinking")) {
      return Optional.empty();
    }
    if (template.contains("<|im_start|>")) {
      return Optional.of(CHATML);
    }
    if (template.contains("<|start_header_id|>")) {
      return Optional.of(LLAMA3);
    }
    return Optional.empty();
  }

  /** The text of the token that ends a turn ({@code <|im_end|>}, {@code <|eot_id|>}). */
  public String endOfTurn() {
    return endOfTurn;
  }

  /**
   * The prompt text of {@code messages}, ending after the last message or, with {@code
   * addGenerationPrompt}, with the header of the assistant's reply.
   */
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return segments(messages, addGenerationPrompt ? Ending.GENERATION_PROMPT : Ending.NONE).text();
  }

  /**
   * The prompt text of {@code messages} with the final (assistant) message left open, so that
   * generation continues it: no end-of-turn marker follows its content.
   *
   * @throws IllegalArgumentException if the last message is not the assistant's
   */
  public String renderContinuation(List<ChatMessage> messages) {
    return segments(messages, Ending.CONTINUE).text();
  }

  /**
   * Tokens of {@link #render}: markers become their special tokens, and the text between them
   * (message content included) is encoded as plain text, so content such as {@code "<|im_end|>"}
   * typed by a user stays text.
   *
   * @throws IllegalArgumentException if the tokenizer lacks one of the format's special tokens
   */
  public int[] encode(Tokenizer tokenizer, List<ChatMessage> messages, boolean addGenerationPrompt) {
    return segments(messages, addGenerationPrompt ? Ending.GENERATION_PROMPT : Ending.NONE).tokens(tokenizer);
  }

  /** Tokens of {@link #renderContinuation}, encoded as {@link #encode} does. */
  public int[] encodeContinuation(Tokenizer tokenizer, List<ChatMessage> messages) {
    return segments(messages, Ending.CONTINUE).tokens(tokenizer);
  }

  private Segments segments(List<ChatMessage> messages, Ending ending) {
    if (ending == Ending.CONTINUE
        && (messages.isEmpty() || messages.get(messages.size() - 1).role() != ChatMessage.Role.ASSISTANT)) {
      throw new IllegalArgumentException("continuing needs a conversation that ends with an assistant message");
    }
    Segments out = new Segments();
    layout(messages, ending, out);
    return out;
  }

  /** Strips leading and trailing whitespace as Jinja's {@code trim} (Python's str.strip) does. */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isStrippable(s.charAt(start))) {
      start++;
    }
    while (end > start && isStrippable(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isStrippable(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  private static String excerpt(String template) {
    String oneLine = template.replace('\n', ' ');
    return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
  }

  /** The rendered prompt as a sequence of special-token markers and plain text. */
  static final class Segments {
    private final List<String> texts = new ArrayList<>();
    private final List<Boolean> specials = new ArrayList<>();

    Segments special(String tokenText) {
      texts.add(tokenText);
      specials.add(true);
      return this;
    }

    Segments plain(String text) {
      texts.add(text);
      specials.add(false);
      return this;
    }

    String text() {
      return String.join("", texts);
    }

    int[] tokens(Tokenizer tokenizer) {
      List<int[]> parts = new ArrayList<>();
      StringBuilder run = new StringBuilder();
      for (int i = 0; i < texts.size(); i++) {
        if (!specials.get(i)) {
          run.append(texts.get(i));
          continue;
        }
        if (run.length() > 0) {
          parts.add(tokenizer.encode(run.toString()));
          run.setLength(0);
        }
        OptionalInt id = tokenizer.tokenId(texts.get(i));
        if (!id.isPresent()) {
          throw new IllegalArgumentException("the vocabulary has no " + texts.get(i) + " token");
        }
        parts.add(new int[] {id.getAsInt()});
      }
      if (run.length() > 0) {
        parts.add(tokenizer.encode(run.toString()));
      }
      int length = 0;
      for (int[] part : parts) {
        length += part.length;
      }
      int[] ids = new int[length];
      int at = 0;
      for (int[] part : parts) {
        System.arraycopy(part, 0, ids, at, part.length);
        at += part.length;
      }
      return ids;
    }
  }
}

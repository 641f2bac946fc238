package dev.overture.device.opener;

import dev.overture.lm.ContextFullException;
import dev.overture.lm.InferenceSession;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.Sampler;
import dev.overture.lm.SamplingConfig;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.Utf8Assembler;
import dev.overture.lm.WordStreamer;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.chat.ChatMessage;
import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import dev.overture.protocol.Words;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The micro model's state for one conversation: a KV cache kept warm with the history and the
 * user's partial transcript, so that little is left to prefill when the user stops speaking, and
 * the generation of openers and of local completions from it.
 *
 * <p>Greedy decoding, with the user's words kept intact and copied on ({@link FaithfulCopy}): the same
 * conversation always gets the same opener, which is what makes a speculative draft reusable.
 * Thread ownership: one thread at a time (the agent's loop).
 */
public final class MicroSession implements AutoCloseable {

  /** Tokens kept free after the prompt: an opener of 12 words and a local completion. */
  static final int RESERVE_TOKENS = 64;
  /** A completion generated locally stops at a sentence end, or after this many tokens. */
  static final int MAX_LOCAL_TOKENS = 48;
  /** A longer generated "word" is not speech; the protocol caps words at 64 characters. */
  static final int MAX_WORD_CHARS = 64;

  private final LanguageModel model;
  private final InferenceSession session;
  private final ChatFormat format;
  private final String systemPrompt;
  private final Sampler sampler;
  private final boolean faithfulCopy;
  private final Set<Integer> stopTokens = new HashSet<>();
  private final TokenTable tokens;
  /** The user's texts whose words the next opener keeps intact (set by {@link #prepare}). */
  private List<String> protectedTexts = Collections.emptyList();

  /**
   * @throws GgufFormatException if the model has no chat format this runtime knows
   */
  public MicroSession(LanguageModel model, SessionOptions options, String systemPrompt) throws GgufFormatException {
    this(model, options, systemPrompt, true);
  }

  /**
   * @param faithfulCopy whether decoding keeps the user's words intact ({@link FaithfulCopy}); off,
   *     plain greedy decoding
   * @throws GgufFormatException if the model has no chat format this runtime knows
   */
  public MicroSession(LanguageModel model, SessionOptions options, String systemPrompt, boolean faithfulCopy)
      throws GgufFormatException {
    this.faithfulCopy = faithfulCopy;
    this.model = model;
    this.format = ChatFormat.fromGguf(model.file().metadata(), model.tokenizer());
    this.session = model.newSession(options);
    this.systemPrompt = systemPrompt;
    this.sampler = new Sampler(SamplingConfig.greedy(), model.config().vocabSize());
    if (model.tokenizer().eos() >= 0) {
      stopTokens.add(model.tokenizer().eos());
    }
    stopTokens.addAll(model.tokenizer().endOfGeneration()); // <|endoftext|>, <|eom_id|>: never said, so they end
    OptionalInt endOfTurn = model.tokenizer().tokenId(format.endOfTurn());
    if (endOfTurn.isPresent()) {
      stopTokens.add(endOfTurn.getAsInt());
    }
    this.tokens = TokenTable.of(model.tokenizer(), stopTokens);
  }

  /** Prefills the system prompt and {@code history}, so that the next turn starts warm. */
  public void warm(List<HistoryItem> history) {
    int[] tokens = fit(history, null, null, false);
    if (tokens != null && tokens.length > 0) {
      prefillFrom(tokens, session.reusePrefix(tokens));
    }
  }

  /**
   * Brings the cache to the prompt of the reply to {@code userText}: keeps the prefix the cache
   * shares with it and prefills the rest.
   *
   * @return the tokens that had to be prefilled, or -1 if the prompt does not fit the context
   *     even without history (then no opener can be made)
   */
  public int prepare(List<HistoryItem> history, String userText) {
    int[] prompt = fit(history, userText, null, true);
    if (prompt == null) {
      return -1;
    }
    int kept = session.reusePrefix(prompt);
    prefillFrom(prompt, kept);
    protectedTexts = protectedTexts(history, userText);
    return prompt.length - kept;
  }

  /**
   * Generates an opener after {@link #prepare}: whole words only (a word is released once the
   * token that starts the next one arrived, or at the end of the reply), at most {@code maxWords},
   * stopping early at a sentence end.
   *
   * @param maxWordChars the longest word in code points (the session's announced {@code
   *     max_word_chars}, capped at {@value #MAX_WORD_CHARS}): a longer word ends the opener
   * @param onWord receives each word as soon as it is complete (word 0 without leading separator)
   * @param abort polled between tokens; true stops the generation (the draft is then incomplete)
   */
  public OpenerDraft draftOpener(int maxWords, int maxWordChars, Consumer<String> onWord, BooleanSupplier abort) {
    List<String> words = new ArrayList<>();
    boolean[] sentenceEnd = {false};
    Generation generation = new Generation(copyRule(protectedTexts, ""), word -> {
      String text = words.isEmpty() ? stripLeading(word) : normalizeSeparators(word);
      // Only what the protocol counts as one word may go out as an opener word: whitespace alone
      // before the end of the reply is none, and the cloud would refuse the turn.
      if (words.size() >= maxWords || sentenceEnd[0] || !Words.isOpenerWord(text, words.isEmpty())
          || text.codePointCount(0, text.length()) > Math.min(maxWordChars, MAX_WORD_CHARS)) {
        return false;
      }
      words.add(text);
      onWord.accept(text);
      sentenceEnd[0] = endsSentence(text);
      return words.size() < maxWords && !sentenceEnd[0];
    });
    boolean complete = generation.run(MAX_LOCAL_TOKENS, abort);
    return new OpenerDraft(Collections.unmodifiableList(words), sentenceEnd[0] || generation.endOfReply, complete);
  }

  /**
   * Continues the assistant reply {@code replySoFar} (opener and any cloud words) on the device
   * until a sentence end, the end of the reply, or a cap; each new piece goes to {@code onWord}
   * with its own leading separator, or none when it attaches to the last word.
   *
   * @return false if the conversation does not fit the context (nothing was generated)
   */
  public boolean completeLocally(List<HistoryItem> history, String userText, String replySoFar, Consumer<String> onWord, BooleanSupplier abort) {
    int[] prompt = fit(history, userText, replySoFar, true);
    if (prompt == null) {
      return false;
    }
    prefillFrom(prompt, session.reusePrefix(prompt));
    boolean[] first = {replySoFar.isEmpty()};
    // The first piece after words already spoken may attach to the last of them ("Paris" + ".").
    boolean[] attaches = {!replySoFar.isEmpty()};
    Generation generation = new Generation(copyRule(protectedTexts(history, userText), replySoFar), word -> {
      String text = first[0] ? stripLeading(word)
          : attaches[0] && !word.isEmpty() && !Character.isWhitespace(word.charAt(0)) ? word
          : normalizeSeparators(word);
      if (Words.count(text) == 0 || text.length() > MAX_WORD_CHARS) {
        return false;
      }
      first[0] = false;
      attaches[0] = false;
      onWord.accept(text);
      return !endsSentence(text);
    });
    generation.run(MAX_LOCAL_TOKENS, abort);
    return true;
  }

  /** Tokens in the cache, for tests and metrics. */
  public int cachedTokens() {
    return session.position();
  }

  @Override
  public void close() {
    session.close();
  }

  /**
   * Whether {@code word} ends a sentence: its last letter-like character is followed by . ! or ?,
   * unless the dot belongs to a list number ({@code "1."}), an abbreviation with inner dots ({@code
   * "e.g."}, {@code "U.S."}) or a title ({@code "Mr."}).
   */
  static boolean endsSentence(String word) {
    for (int i = word.length() - 1; i >= 0; i--) {
      char c = word.charAt(i);
      if (c == '!' || c == '?' || c == '\u3002') {
        return true;
      }
      if (c == '.') {
        return !abbreviation(word.substring(0, i).trim());
      }
      if (c != '"' && c != '\'' && c != ')' && c != '\u201d' && c != '\u2019') {
        return false;
      }
    }
    return false;
  }

  private static final Set<String> TITLES =
      new HashSet<>(Arrays.asList("mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "vs", "fig", "approx"));

  /** Whether the text before a final dot is a list number, a dotted abbreviation or a title. */
  private static boolean abbreviation(String beforeDot) {
    if (beforeDot.isEmpty()) {
      return false;
    }
    boolean digits = true;
    for (int i = 0; i < beforeDot.length(); i++) {
      digits &= Character.isDigit(beforeDot.charAt(i));
    }
    // A list number has one or two digits; "1969." ends a sentence.
    return (digits && beforeDot.length() <= 2) || beforeDot.indexOf('.') >= 0
        || TITLES.contains(beforeDot.toLowerCase(Locale.ROOT));
  }

  private static String stripLeading(String word) {
    int i = 0;
    while (i < word.length() && Character.isWhitespace(word.charAt(i))) {
      i++;
    }
    return word.substring(i);
  }

  /** The model may start a word with whitespace the protocol does not count as a separator. */
  private static String normalizeSeparators(String word) {
    StringBuilder out = null;
    for (int i = 0; i < word.length() && Character.isWhitespace(word.charAt(i)); i++) {
      if (!Words.isSeparator(word.charAt(i))) {
        if (out == null) {
          out = new StringBuilder(word);
        }
        out.setCharAt(i, ' ');
      }
    }
    String text = out == null ? word : out.toString();
    return text.isEmpty() || !Words.isSeparator(text.charAt(0)) ? " " + text : text;
  }

  private FaithfulCopy copyRule(List<String> userTexts, String spokenSoFar) {
    return faithfulCopy ? new FaithfulCopy(userTexts, spokenSoFar) : null;
  }

  /** The user's question and, for a follow-up, the question before it: the words an opener may copy. */
  private static List<String> protectedTexts(List<HistoryItem> history, String userText) {
    List<String> texts = new ArrayList<>();
    texts.add(userText);
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).role() == Role.USER) {
        texts.add(history.get(i).text());
        break;
      }
    }
    return texts;
  }

  private void prefillFrom(int[] prompt, int kept) {
    if (kept < prompt.length) {
      session.prefill(Arrays.copyOfRange(prompt, kept, prompt.length));
    }
  }

  /**
   * The prompt for {@code history}, then {@code userText} (null: none) and the assistant's reply
   * so far ({@code null}: none; with {@code open} the reply header or the reply stays open),
   * without as many of the oldest history items as needed to keep {@link #RESERVE_TOKENS} free;
   * null if even the bare turn does not fit.
   */
  private int[] fit(List<HistoryItem> history, String userText, String reply, boolean open) {
    for (int drop = 0; drop <= history.size(); drop++) {
      List<ChatMessage> messages = new ArrayList<>();
      if (!systemPrompt.isEmpty()) {
        messages.add(ChatMessage.system(systemPrompt));
      }
      for (int i = drop; i < history.size(); i++) {
        HistoryItem item = history.get(i);
        messages.add(item.role() == Role.USER ? ChatMessage.user(item.text()) : ChatMessage.assistant(item.text()));
      }
      if (userText != null) {
        messages.add(ChatMessage.user(userText));
      }
      int[] tokens;
      if (reply != null) {
        messages.add(ChatMessage.assistant(reply));
        tokens = format.encodeContinuation(model.tokenizer(), messages);
      } else if (messages.isEmpty()) {
        return new int[0];
      } else {
        tokens = format.encode(model.tokenizer(), messages, open);
      }
      if (tokens.length + RESERVE_TOKENS <= session.contextLength()) {
        return tokens;
      }
    }
    return null;
  }

  /**
   * Greedy decoding from the cache's logits, word by word, copied words kept faithful (unless copy
   * is null); a control token is never said, nor one that leaves the text malformed UTF-8.
   */
  private final class Generation {
    private final FaithfulCopy copy;
    private final WordStreamer streamer;
    /** Plain decoding's unfinished character (no copy rule), for the well-formed rule (D51). */
    private final Utf8Assembler utf8 = new Utf8Assembler();
    private boolean stopped;
    boolean endOfReply;

    private boolean wellFormed(int token) {
      return tokens.ends(token) ? utf8.atCharacterBoundary() : utf8.accepts(tokens.bytes(token));
    }

    /** The best-scored sayable token that keeps the text well-formed, else the best sayable one. */
    private int bestWellFormed(float[] logits) {
      int best = tokens.bestSayable(logits, this::wellFormed);
      return best >= 0 ? best : tokens.bestSayable(logits, t -> true);
    }

    Generation(FaithfulCopy copy, WordSink sink) {
      this.copy = copy;
      this.streamer = new WordStreamer(word -> {
        if (!stopped && !sink.accept(word)) {
          stopped = true;
        }
      });
    }

    /** Returns whether it ran to its natural end (not aborted). */
    boolean run(int maxTokens, BooleanSupplier abort) {
      int[] history = session.tokens();
      for (int produced = 0; produced < maxTokens && !stopped; produced++) {
        if (abort.getAsBoolean()) {
          return false;
        }
        float[] logits = session.logits();
        int token = sampler.sample(logits, history, history.length);
        if (copy != null) {
          token = copy.choose(logits, token, tokens);
        } else if (!tokens.sayable(token) || !wellFormed(token)) {
          token = bestWellFormed(logits);
        }
        if (stopTokens.contains(token)) {
          endOfReply = true;
          streamer.finish();
          return true;
        }
        byte[] bytes = tokens.bytes(token);
        if (copy != null) {
          copy.append(bytes); // the rule keeps its own character state
        } else {
          utf8.append(bytes);
        }
        streamer.accept(bytes);
        if (stopped) {
          return true; // the token that starts the next word is not needed in the cache
        }
        try {
          session.decode(token);
        } catch (ContextFullException e) {
          break;
        }
      }
      // Cut by the cap or the context, not ended by the model: the word in progress may be half a
      // word ("extra" of "extraordinary") or half a character, so it is not said.
      return true;
    }
  }

  @FunctionalInterface
  private interface WordSink {
    /** Takes a complete word; false stops the generation. */
    boolean accept(String word);
  }
}

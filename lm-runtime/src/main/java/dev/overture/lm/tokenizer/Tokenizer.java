package dev.overture.lm.tokenizer;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Converts text to token ids and back, as the model's vocabulary defines (llama.cpp's algorithms).
 * Implementations are immutable and thread-safe.
 *
 * <p>Text round-trips: {@code decode(encode(s)).equals(s)} for every well-formed string, and
 * {@code decode(encodeWithSpecials(s)).equals(s)} too, because special tokens decode to their text.
 * Java strings are UTF-16; a lone surrogate cannot be encoded as UTF-8, so it is encoded as U+FFFD
 * (the replacement character) and decodes as such.
 *
 * <p>Neither encode method adds a BOS or EOS token; see {@link #addBos()}.
 */
public interface Tokenizer {

  /**
   * Builds the tokenizer the GGUF metadata describes: {@code tokenizer.ggml.model} {@code gpt2}
   * (byte-level BPE with {@code tokenizer.ggml.merges}, pre-tokenizer chosen by {@code
   * tokenizer.ggml.pre}) or {@code llama} (SentencePiece BPE with {@code tokenizer.ggml.scores}
   * and byte fallback).
   *
   * @throws GgufFormatException naming the key if the tokenizer keys are missing, mistyped or
   *     inconsistent, or the model is of another kind
   */
  static Tokenizer fromGguf(GgufMetadata metadata) throws GgufFormatException {
    return TokenizerLoader.load(metadata);
  }

  /**
   * Encodes plain text. Strings that look like control tokens ({@code <|im_start|>}) are encoded
   * as ordinary text, so user input can never inject them. User-defined tokens (token type 4) are
   * matched, as in llama.cpp.
   */
  int[] encode(String text);

  /**
   * Encodes text in which the exact strings of special tokens ({@code <|im_start|>}, {@code
   * <|eot_id|>}, ...) become those tokens, longest match first; the text between them is encoded
   * as by {@link #encode}. For trusted text only, such as a rendered chat template.
   */
  int[] encodeWithSpecials(String text);

  /**
   * The text of {@code tokens}: the UTF-8 decoding of their concatenated {@link #tokenBytes},
   * malformed sequences (a multi-byte character cut at either end) as U+FFFD. Special tokens
   * appear as their text; UNUSED and UNDEFINED slots as nothing (as in llama.cpp). For a SentencePiece vocabulary with a space prefix, the space that
   * encoding prepends at the start and after each special token is removed again.
   *
   * @throws IllegalArgumentException for an id outside {@code [0, vocabSize())}
   */
  String decode(int[] tokens);

  /**
   * The raw UTF-8 bytes {@code token} contributes to a text (a fresh array). A character may span
   * several tokens, so a streaming decoder must join bytes before decoding. Special tokens give
   * their text's bytes; SentencePiece's word marker {@code ▁} gives a space.
   *
   * @throws IllegalArgumentException for an id outside {@code [0, vocabSize())}
   */
  byte[] tokenBytes(int token);

  /** Number of tokens in the vocabulary. */
  int vocabSize();

  /** Beginning-of-sequence token ({@code tokenizer.ggml.bos_token_id}), or -1 if none. */
  int bos();

  /** End-of-sequence token ({@code tokenizer.ggml.eos_token_id}), or -1 if none. */
  int eos();

  /**
   * Whether a prompt should start with {@link #bos()} ({@code tokenizer.ggml.add_bos_token};
   * by default true for {@code llama} vocabularies and false for {@code gpt2}). Chat formats put
   * their own start marker in the rendered text and need no extra BOS.
   */
  boolean addBos();

  /** The token whose text is exactly {@code tokenText}, as stored in the vocabulary. */
  OptionalInt tokenId(String tokenText);

  /**
   * Whether {@code token} is a special (control or unknown) token: one that stands for no text of
   * its own and that {@link #encode} never produces from text.
   */
  boolean isSpecial(int token);

  /** The token's text as stored in the vocabulary (byte-level or {@code ▁}-escaped). */
  String tokenText(int token);

  /**
   * Tokens that end a generated turn: {@link #eos()}, {@code tokenizer.ggml.eot_token_id} and
   * {@code eom_token_id}, and tokens with the texts llama.cpp treats as end of generation
   * ({@code <|im_end|>}, {@code <|eot_id|>}, {@code <|end_of_text|>}, {@code <|endoftext|>},
   * {@code <|eom_id|>}, {@code <|end|>}, {@code <end_of_turn>}, {@code <EOT>}). Unmodifiable.
   */
  Set<Integer> endOfGeneration();
}

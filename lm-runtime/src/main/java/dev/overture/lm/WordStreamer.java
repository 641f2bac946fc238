package dev.overture.lm;

import java.util.function.Consumer;

/**
 * Turns a stream of token bytes into whole words, because the device speaks words, not tokens.
 *
 * <p>A word is its leading whitespace plus a run of non-whitespace characters, so punctuation
 * stays attached to the word it touches ({@code " Hello,"}) and concatenating every emitted word
 * gives back the generated text exactly. A word is emitted once the whitespace that starts the
 * next word arrives, or on {@link #finish()}. Bytes are decoded only in whole UTF-8 sequences, so
 * a character split across tokens is never garbled.
 *
 * <p>Not thread-safe: one per generation.
 */
public final class WordStreamer {
  private final Consumer<String> sink;
  private final Utf8Assembler utf8 = new Utf8Assembler();
  private final StringBuilder word = new StringBuilder();
  private int emitted;

  /** Emits each complete word to {@code sink}. */
  public WordStreamer(Consumer<String> sink) {
    this.sink = sink;
  }

  /** Adds the bytes a token contributes (see {@code Tokenizer.tokenBytes}). */
  public void accept(byte[] tokenBytes) {
    acceptText(utf8.append(tokenBytes));
  }

  /** Adds already decoded text. */
  public void acceptText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isWhitespace(ch) && hasNonWhitespace()) {
        emit();
      }
      word.append(ch);
    }
  }

  /** Emits the last word (and any undecodable trailing bytes as U+FFFD). */
  public void finish() {
    word.append(utf8.flush());
    if (word.length() > 0) {
      emit();
    }
  }

  /** Words emitted so far. */
  public int wordCount() {
    return emitted;
  }

  /** Text received but not yet emitted as a word. */
  public String pending() {
    return word.toString();
  }

  private boolean hasNonWhitespace() {
    for (int i = word.length() - 1; i >= 0; i--) {
      if (!Character.isWhitespace(word.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private void emit() {
    String w = word.toString();
    word.setLength(0);
    emitted++;
    sink.accept(w);
  }
}

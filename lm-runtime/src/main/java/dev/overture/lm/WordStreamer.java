package dev.overture.lm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
  private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
  private final StringBuilder word = new StringBuilder();
  private int emitted;

  /** Emits each complete word to {@code sink}. */
  public WordStreamer(Consumer<String> sink) {
    this.sink = sink;
  }

  /** Adds the bytes a token contributes (see {@code Tokenizer.tokenBytes}). */
  public void accept(byte[] tokenBytes) {
    pendingBytes.write(tokenBytes, 0, tokenBytes.length);
    byte[] all = pendingBytes.toByteArray();
    int complete = completePrefix(all);
    if (complete == 0) {
      return;
    }
    String text = new String(all, 0, complete, StandardCharsets.UTF_8);
    pendingBytes.reset();
    pendingBytes.write(all, complete, all.length - complete);
    acceptText(text);
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
    if (pendingBytes.size() > 0) {
      word.append(new String(pendingBytes.toByteArray(), StandardCharsets.UTF_8));
      pendingBytes.reset();
    }
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

  /** Length of the longest prefix of {@code b} that ends on a UTF-8 sequence boundary. */
  static int completePrefix(byte[] b) {
    int n = b.length;
    // Walk back over at most 3 continuation bytes to the last lead byte.
    int i = n - 1;
    int back = 0;
    while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
      i--;
      back++;
    }
    if (i < 0) {
      return n;
    }
    int lead = b[i] & 0xff;
    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - i >= need ? n : i;
  }
}

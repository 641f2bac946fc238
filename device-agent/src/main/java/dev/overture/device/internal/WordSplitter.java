package dev.overture.device.internal;

import dev.overture.protocol.Words;
import java.util.function.Consumer;

/**
 * Cuts streamed text (the cloud's continuation deltas) into speakable pieces as soon as each is
 * complete: a piece is its leading separators plus one run of non-separator characters, and is
 * complete once the separator after it arrives. A piece without leading separator (the {@code
 * ","} of {@code ", especially"}) continues the word before it. Concatenating the pieces gives the
 * text back, except trailing separators. Not thread-safe.
 */
public final class WordSplitter {

  private final Consumer<String> sink;
  private final StringBuilder pending = new StringBuilder();

  public WordSplitter(Consumer<String> sink) {
    this.sink = sink;
  }

  public void accept(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Words.isSeparator(c) && hasContent()) {
        emit();
      }
      pending.append(c);
    }
  }

  /** Emits the last piece, if it has more than separators. */
  public void finish() {
    if (hasContent()) {
      emit();
    }
    pending.setLength(0);
  }

  private boolean hasContent() {
    int n = pending.length();
    return n > 0 && !Words.isSeparator(pending.charAt(n - 1));
  }

  private void emit() {
    String piece = pending.toString();
    pending.setLength(0);
    sink.accept(piece);
  }
}

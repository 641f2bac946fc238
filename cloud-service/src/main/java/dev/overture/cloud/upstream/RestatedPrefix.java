package dev.overture.cloud.upstream;

import dev.overture.protocol.Words;

/**
 * Drops a restatement of the assistant prefix at the start of an upstream's continuation. A server
 * that ignores the prefill (a hosted API without assistant prefill, a template that closes the
 * final message) starts the assistant message anew, often with the very words the device already
 * spoke: {@code "Sure, I love electronic music."} after {@code "Sure, I love electronic"} becomes
 * {@code " music."}. The rest of the seam (spacing, a repeated last word) is {@link
 * dev.overture.cloud.engine.SeamlessJoin}'s, which runs on this filter's output.
 *
 * <p>The restatement counts when the text, after any leading separators, starts with the whole
 * prefix followed by a separator, punctuation or the end of the stream. Text is held back only
 * while it could still be one (it is a prefix of the prefix), so a continuation that starts with
 * a space and another word, or with punctuation, passes at once.
 *
 * <p>Not thread-safe; one reply's stream calls it sequentially.
 */
final class RestatedPrefix {
  private final String prefix;
  private StringBuilder pending;

  RestatedPrefix(String prefix) {
    this.prefix = prefix;
    this.pending = prefix.isEmpty() ? null : new StringBuilder();
  }

  /** The text to pass on now for the next piece of upstream text; empty while undecided. */
  String accept(String text) {
    if (pending == null) {
      return text;
    }
    pending.append(text);
    String decided = decide(false);
    return decided == null ? "" : decided;
  }

  /** The text still held back, once the upstream stream ended. */
  String finish() {
    return pending == null ? "" : decide(true);
  }

  /** The text to pass on, or null while it could still be a restatement. */
  private String decide(boolean complete) {
    String text = pending.toString();
    int start = 0;
    while (start < text.length() && Words.isSeparator(text.charAt(start))) {
      start++;
    }
    String body = text.substring(start);
    String result;
    if (body.length() <= prefix.length()) {
      if (!prefix.startsWith(body)) {
        result = text;
      } else if (!complete) {
        return null;
      } else {
        result = body.length() == prefix.length() ? "" : text;
      }
    } else if (body.startsWith(prefix) && boundary(body.charAt(prefix.length()))) {
      result = body.substring(prefix.length());
    } else {
      result = text;
    }
    pending = null;
    return result;
  }

  private static boolean boundary(char c) {
    return Words.isSeparator(c) || !Character.isLetterOrDigit(c);
  }
}

package dev.overture.cloud.upstream;

import dev.overture.protocol.Words;

/**
 * Makes an upstream server's continuation join the assistant prefix seamlessly, so that prefix
 * plus deltas reads as one reply with nothing repeated and single spacing. One instance per reply;
 * feed it the upstream text as it arrives ({@link #accept}) and call {@link #finish} at the end.
 *
 * <p>Upstream servers continue the prefix in different ways: vLLM with {@code
 * continue_final_message} continues mid-message and usually starts with a space; some servers drop
 * that space (the template stripped the prefix's trailing space and the model starts with a bare
 * word); a server that ignores the prefill starts a new message, often restating the prefix or its
 * last word. The rule, where P is the prefix, W its last word and U the upstream text:
 *
 * <ol>
 *   <li>P is empty or ends with a separator: U's leading separators are dropped (the reply, or
 *       the next word, starts at a word).
 *   <li>Otherwise, if U (after any leading separators) starts with all of P followed by a word
 *       boundary, that restatement is dropped.
 *   <li>Otherwise, if U starts with W (no separator before it) followed by a word boundary, the
 *       restarted W is dropped ({@code "electronic music"} after {@code "... electronic"} gives
 *       {@code " music"}). A repeat after a separator ({@code " that"} after {@code "... that"})
 *       is kept: English repeats words on purpose.
 *   <li>Otherwise, if U starts with a separator, or with punctuation that attaches to the word
 *       before it ({@code . , ; : ! ? ) ] } % ' ’ ” … - /}), or either side of the seam is in a
 *       script written without spaces (Han, Hiragana, Katakana, Thai...), U is kept as it is.
 *   <li>Otherwise one space is put before U.
 * </ol>
 *
 * A word boundary is a separator, attaching punctuation, or the end of the stream. Text is held
 * back only while it could still turn out to be a restatement (it is a prefix of P or of W), so a
 * continuation that starts with a space or with a word other than P's first word or W passes at
 * once. Separators are those of {@link Words}.
 *
 * <p>Not thread-safe; one reply's stream calls it sequentially.
 */
final class ContinuationJoin {
  private final String prefix;
  private final String lastWord;
  private final boolean freshStart;
  private StringBuilder pending = new StringBuilder();

  ContinuationJoin(String prefix) {
    this.prefix = prefix;
    this.freshStart = prefix.isEmpty() || Words.isSeparator(prefix.charAt(prefix.length() - 1));
    int start = prefix.length();
    while (start > 0 && !Words.isSeparator(prefix.charAt(start - 1))) {
      start--;
    }
    this.lastWord = prefix.substring(start);
  }

  /** The text to emit now for the next piece of upstream text; empty while the seam is undecided. */
  String accept(String text) {
    if (pending == null) {
      return text;
    }
    pending.append(text);
    String joined = decide(pending.toString(), false);
    if (joined == null) {
      return "";
    }
    pending = null;
    return joined;
  }

  /** The text still held back, joined, once the upstream stream ended. */
  String finish() {
    if (pending == null) {
      return "";
    }
    String joined = decide(pending.toString(), true);
    pending = null;
    return joined;
  }

  /** The joined text, or null while more text is needed to decide. */
  private String decide(String text, boolean complete) {
    int bodyStart = 0;
    while (bodyStart < text.length() && Words.isSeparator(text.charAt(bodyStart))) {
      bodyStart++;
    }
    String body = text.substring(bodyStart);
    if (body.isEmpty()) {
      return complete ? "" : null;
    }
    if (freshStart) {
      return body;
    }
    Match restated = matchAtStart(body, prefix, complete);
    if (restated == Match.UNDECIDED) {
      return null;
    }
    if (restated == Match.YES) {
      return body.substring(prefix.length());
    }
    boolean spaced = bodyStart > 0;
    if (!spaced) {
      Match restarted = matchAtStart(body, lastWord, complete);
      if (restarted == Match.UNDECIDED) {
        return null;
      }
      if (restarted == Match.YES) {
        return body.substring(lastWord.length());
      }
    }
    if (spaced || attaches(body) || unspacedScript(prefix.codePointBefore(prefix.length()))
        || unspacedScript(body.codePointAt(0))) {
      return text;
    }
    return " " + text;
  }

  private enum Match { YES, NO, UNDECIDED }

  /** Whether {@code body} starts with {@code word} followed by a word boundary. */
  private static Match matchAtStart(String body, String word, boolean complete) {
    if (body.length() <= word.length()) {
      if (!word.startsWith(body)) {
        return Match.NO;
      }
      if (complete) {
        return body.length() == word.length() ? Match.YES : Match.NO;
      }
      return Match.UNDECIDED;
    }
    if (!body.startsWith(word)) {
      return Match.NO;
    }
    char next = body.charAt(word.length());
    return Words.isSeparator(next) || attachingPunctuation(next) ? Match.YES : Match.NO;
  }

  private static boolean attaches(String body) {
    return attachingPunctuation(body.charAt(0));
  }

  private static boolean attachingPunctuation(char c) {
    return ".,;:!?)]}%'’”…-/".indexOf(c) >= 0;
  }

  private static boolean unspacedScript(int codePoint) {
    switch (Character.UnicodeScript.of(codePoint)) {
      case HAN:
      case HIRAGANA:
      case KATAKANA:
      case THAI:
      case LAO:
      case KHMER:
      case MYANMAR:
        return true;
      default:
        return false;
    }
  }
}

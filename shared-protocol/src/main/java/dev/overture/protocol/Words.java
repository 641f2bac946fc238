package dev.overture.protocol;

/**
 * The protocol's word convention, which both sides apply to the same text so that word counts and
 * truncation agree byte for byte.
 *
 * <p>A <em>separator</em> is one of the four JSON whitespace characters: space, tab, line feed,
 * carriage return. A <em>word</em> is a maximal run of non-separator characters; punctuation
 * belongs to the word it touches ({@code "music,"} is one word). The reply of a turn is the kept
 * opener's word texts concatenated, followed by the continuation deltas concatenated, with nothing
 * inserted anywhere; its words are counted and cut with {@link #count} and {@link #prefix}.
 */
public final class Words {

  private Words() {}

  /** Whether {@code c} separates words. */
  public static boolean isSeparator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /** The number of words in {@code text}. */
  public static int count(CharSequence text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean separator = isSeparator(text.charAt(i));
      if (!separator && !inWord) {
        words++;
      }
      inWord = !separator;
    }
    return words;
  }

  /**
   * {@code text} up to and including the last character of its {@code words}-th word, without
   * what follows: {@code prefix("Sure, I love it.", 2)} is {@code "Sure, I"}; {@code prefix(t, 0)}
   * is empty.
   *
   * @throws IllegalArgumentException if {@code words} is negative or more than {@link #count}
   */
  public static String prefix(CharSequence text, int words) {
    if (words < 0) {
      throw new IllegalArgumentException("words < 0: " + words);
    }
    int seen = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean separator = isSeparator(text.charAt(i));
      if (!separator && !inWord) {
        seen++;
      }
      if (separator && inWord && seen == words) {
        return text.subSequence(0, i).toString();
      }
      inWord = !separator;
    }
    if (seen < words) {
      throw new IllegalArgumentException("text has " + seen + " words, not " + words);
    }
    return words == 0 ? "" : text.toString();
  }

  /**
   * Whether {@code text} is one opener word: separators (none for the first word, at least one for
   * every later word) followed by one word and nothing else.
   */
  public static boolean isOpenerWord(CharSequence text, boolean first) {
    int i = 0;
    while (i < text.length() && isSeparator(text.charAt(i))) {
      i++;
    }
    if (first ? i != 0 : i == 0) {
      return false;
    }
    if (i == text.length()) {
      return false;
    }
    for (; i < text.length(); i++) {
      if (isSeparator(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}

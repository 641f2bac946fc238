package dev.overture.cloud.engine;

import dev.overture.protocol.Words;
import java.util.Locale;

/**
 * Makes a continuation join the text before it ({@code prefix}: the kept opener, perhaps with a
 * repair bridge) the way one speaker would have said it, whatever the engine produced:
 *
 * <ul>
 *   <li>after a prefix that ends in a word, the continuation must start a new word or add
 *       punctuation: a first piece that starts with a letter or digit would glue onto the spoken
 *       word ({@code "electronic" + "a"}), so a space is put in front of it;
 *   <li>a first word that repeats the prefix's last word ({@code "... love electronic" + "
 *       electronic music"}) is dropped;
 *   <li>after an empty prefix or one that ends in a separator, leading separators are dropped.
 * </ul>
 *
 * <p>Text goes in as it arrives ({@link #accept}) and comes out unchanged except for the first
 * word, which is held until it is complete; {@link #finish} releases whatever is held. Engines that
 * can steer their first token (the embedded engine masks tokens that start with a letter) avoid
 * the glue case at the source; this class still guards the text. Not thread-safe: one per reply.
 */
public final class SeamlessJoin {

  private final String lastPrefixWord;
  private final boolean afterWord;
  private final StringBuilder head = new StringBuilder();
  private boolean released;

  public SeamlessJoin(String prefix) {
    this.afterWord = endsInWord(prefix);
    this.lastPrefixWord = afterWord ? normalized(lastWord(prefix)) : "";
  }

  /**
   * Whether a reply after {@code prefix} must not begin with a letter or digit: true when the
   * prefix is not empty and ends with a non-separator character of a script that separates words
   * with spaces. After Chinese, Japanese, Thai, Lao, Khmer or Myanmar text the next character
   * follows directly ({@code "我喜欢" + "音乐"}), so there a prefix never ends in a word.
   */
  public static boolean endsInWord(String prefix) {
    if (prefix.isEmpty() || Words.isSeparator(prefix.charAt(prefix.length() - 1))) {
      return false;
    }
    return !writtenWithoutSpaces(prefix.codePointBefore(prefix.length()));
  }

  private static boolean writtenWithoutSpaces(int codePoint) {
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

  /** Whether {@code c} would glue onto a preceding word. */
  public static boolean gluesOn(int codePoint) {
    return Character.isLetterOrDigit(codePoint);
  }

  /** Takes the next piece of generated text and returns what may be sent now (maybe empty). */
  public String accept(String text) {
    if (released) {
      return text;
    }
    head.append(text);
    return firstWordComplete() ? release() : "";
  }

  /** Releases what is still held, at the end of the reply. */
  public String finish() {
    return released ? "" : release();
  }

  private boolean firstWordComplete() {
    if (!afterWord) { // only leading separators change: the text can go once any other character came
      for (int i = 0; i < head.length(); i++) {
        if (!Words.isSeparator(head.charAt(i))) {
          return true;
        }
      }
      return false;
    }
    boolean inWord = false;
    for (int i = 0; i < head.length(); i++) {
      boolean separator = Words.isSeparator(head.charAt(i));
      if (separator && inWord) {
        return true;
      }
      inWord |= !separator;
    }
    return false;
  }

  private String release() {
    released = true;
    String text = head.toString();
    head.setLength(0);
    if (!afterWord) {
      return stripLeadingSeparators(text);
    }
    int start = 0;
    while (start < text.length() && Words.isSeparator(text.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < text.length() && !Words.isSeparator(text.charAt(end))) {
      end++;
    }
    String firstWord = text.substring(start, end);
    if (!lastPrefixWord.isEmpty() && normalized(firstWord).equals(lastPrefixWord)) {
      return text.substring(end); // the model said the opener's last word again
    }
    if (start == 0 && !text.isEmpty() && gluesOn(text.codePointAt(0))) {
      return " " + text;
    }
    return text;
  }

  private static String stripLeadingSeparators(String text) {
    int start = 0;
    while (start < text.length() && Words.isSeparator(text.charAt(start))) {
      start++;
    }
    return text.substring(start);
  }

  private static String lastWord(String prefix) {
    int end = prefix.length();
    int start = end;
    while (start > 0 && !Words.isSeparator(prefix.charAt(start - 1))) {
      start--;
    }
    return prefix.substring(start, end);
  }

  /** A word compared case-blind and without the punctuation around it. */
  private static String normalized(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && !Character.isLetterOrDigit(word.codePointAt(start))) {
      start += Character.charCount(word.codePointAt(start));
    }
    while (end > start && !Character.isLetterOrDigit(word.codePointBefore(end))) {
      end -= Character.charCount(word.codePointBefore(end));
    }
    return word.substring(start, end).toLowerCase(Locale.ROOT);
  }
}

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
 *       electronic music"}) is dropped, unless that word ended a sentence;
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
    // After a sentence's end the same word may well begin the next one ("... learning Python." +
    // " Python is easy"): only a word the sentence is still in can be a repeat.
    String last = lastWord(prefix);
    this.lastPrefixWord = afterWord && !endsASentence(last) ? normalized(last) : "";
  }

  private static boolean endsASentence(String word) {
    for (int i = word.length(); i > 0; ) {
      int c = word.codePointBefore(i);
      if (Character.isLetterOrDigit(c)) {
        return false;
      }
      if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\u2026' || c == '\u3002'
          || c == '\uff01' || c == '\uff1f') {
        return true;
      }
      i -= Character.charCount(c);
    }
    return false;
  }

  /**
   * Whether a reply after {@code prefix} must not begin with a letter or digit: true when the
   * prefix is not empty and ends in a word of a script that separates words with spaces, perhaps
   * followed by closing punctuation ({@code "Hello,"}). False after a separator; after opening
   * punctuation, a dash or a slash, which the next word follows directly ({@code "("}, {@code
   * "\u201c"}, {@code "well-"}, {@code "say: \""}); and after Chinese, Japanese, Thai, Lao, Khmer
   * or Myanmar text, also when punctuation of their own ends it ({@code "我喜欢" + "音乐"}, {@code
   * "好的，" + "我们走吧"}).
   */
  public static boolean endsInWord(String prefix) {
    if (prefix.isEmpty() || Words.isSeparator(prefix.charAt(prefix.length() - 1))) {
      return false;
    }
    if (opensOrJoins(prefix)) {
      return false;
    }
    // The script of the last letter decides: punctuation, digits and marks belong to every script.
    for (int i = prefix.length(); i > 0; ) {
      int c = prefix.codePointBefore(i);
      if (Character.isBmpCodePoint(c) && Words.isSeparator((char) c)) {
        break;
      }
      Character.UnicodeScript script = Character.UnicodeScript.of(c);
      if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED) {
        return !writtenWithoutSpaces(c);
      }
      i -= Character.charCount(c);
    }
    return true;
  }

  /** Whether the prefix's last character is one the next word follows without a space. */
  private static boolean opensOrJoins(String prefix) {
    int last = prefix.codePointBefore(prefix.length());
    int before = prefix.length() - Character.charCount(last);
    boolean standsAlone = before == 0 || Words.isSeparator(prefix.charAt(before - 1));
    int type = Character.getType(last);
    if (type == Character.START_PUNCTUATION) {
      return true;
    }
    if (type == Character.INITIAL_QUOTE_PUNCTUATION) { // German closes with \u201c ("\u201eja\u201c"): opening only alone
      return standsAlone;
    }
    if (type == Character.DASH_PUNCTUATION || last == '/') { // "well-" joins; a dash standing alone is a word
      return !standsAlone;
    }
    if (last == '"' || last == '\'') { // straight quotes open after a separator or at the start, else close
      return standsAlone;
    }
    return false;
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

package dev.overture.device.opener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Keeps the user's own words intact in what the micro model says (decision D47). A micro model
 * copies a word it was never taught piece by piece, and a wrong piece turns "mackinaw" into
 * "mackinawinaw"; spoken at once, before the cloud can judge it, a garbled word is the worst thing
 * the device can say. So decoding takes the model's best token that keeps every copied word
 * faithful: a word built from two or more tokens that begins like one of the user's words (the
 * same first three letters, ASCII case aside) must stay a prefix of such a word while it grows,
 * and be one of them when it ends. Words the model says in one token, and words that begin like
 * none of the user's, are never touched, so facts and templates pass unchanged.
 *
 * <p>Letters are ASCII letters, the hyphen and the Latin letters of Unicode's Latin-1 Supplement
 * and Latin Extended blocks (two-byte UTF-8 with lead bytes 0xC3-0xC9); other scripts are left
 * alone. {@code training/evaluate.py} applies the same rule, and both are checked against
 * {@code models/fixtures/faithful-copy.json}. Not thread-safe: one generation on one thread.
 */
final class FaithfulCopy {

  /** How many of the model's best tokens are tried before falling back to the best one. */
  static final int CANDIDATES = 64;
  /** Letters a word shares with a user word before it counts as a copy of it. */
  static final int COPY_PREFIX = 3;

  private final List<byte[]> userWords;
  /** The letters at the end of what was said: the only word a token can still extend or end. */
  private byte[] wordInProgress;
  private final int[] best = new int[CANDIDATES];

  /**
   * @param userTexts the user's texts whose words are protected (the question, and the one
   *     before it for a follow-up)
   * @param spokenSoFar what the reply already holds (empty for an opener)
   */
  FaithfulCopy(List<String> userTexts, String spokenSoFar) {
    List<byte[]> words = new ArrayList<>();
    for (String text : userTexts) {
      for (byte[] word : words(text.getBytes(StandardCharsets.UTF_8))) {
        if (word.length >= COPY_PREFIX) {
          words.add(word);
        }
      }
    }
    this.userWords = words;
    this.wordInProgress = trailingWord(spokenSoFar.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The token to say: {@code greedy} when it keeps copied words faithful, else the first of the
   * {@link #CANDIDATES} best-scored tokens that does; {@code greedy} when none does.
   *
   * @param bytes a token's bytes
   * @param ends whether a token ends the reply (it completes the word in progress)
   */
  int choose(float[] logits, int greedy, IntFunction<byte[]> bytes, IntPredicate ends) {
    if (allows(greedy, bytes, ends)) {
      return greedy;
    }
    int n = topTokens(logits);
    for (int i = 0; i < n; i++) {
      if (allows(best[i], bytes, ends)) {
        return best[i];
      }
    }
    return greedy;
  }

  /** Records a token said, after {@link #choose}. */
  void append(byte[] tokenBytes) {
    wordInProgress = trailingWord(concat(wordInProgress, tokenBytes));
  }

  private boolean allows(int token, IntFunction<byte[]> bytes, IntPredicate ends) {
    return faithfulAfterWord(wordInProgress, ends.test(token) ? END : bytes.apply(token), userWords);
  }

  private static final byte[] END = {' '};

  /** The indices of the highest logits, best first, in {@link #best}; returns how many. */
  private int topTokens(float[] logits) {
    int n = 0;
    for (int t = 0; t < logits.length; t++) {
      if (n == CANDIDATES && logits[t] <= logits[best[n - 1]]) {
        continue;
      }
      int i = n == CANDIDATES ? n - 1 : n++;
      while (i > 0 && logits[best[i - 1]] < logits[t]) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = t;
    }
    return n;
  }

  /**
   * Whether {@code candidate}, said after {@code spoken}, keeps every copied word faithful to one
   * of {@code userWords} (lower-cased, as {@link #words} gives them).
   */
  static boolean faithful(byte[] spoken, byte[] candidate, List<byte[]> userWords) {
    return faithfulAfterWord(trailingWord(spoken), candidate, userWords);
  }

  /**
   * The rule after a text ending in {@code word} (its trailing letters): only that word can break
   * it, as the candidate extends or ends it. A word inside the candidate alone is a vocabulary
   * word, said in one piece.
   */
  private static boolean faithfulAfterWord(byte[] word, byte[] candidate, List<byte[]> userWords) {
    if (word.length == 0) {
      return true;
    }
    byte[] text = concat(word, candidate);
    int end = word.length;
    while (end < text.length && isLetter(text, end)) {
      end++;
    }
    return copiesFaithfully(lower(text, 0, end), end < text.length, userWords);
  }

  /** The letters at the end of {@code text}. */
  private static byte[] trailingWord(byte[] text) {
    int from = text.length;
    while (from > 0 && isLetter(text, from - 1)) {
      from--;
    }
    return Arrays.copyOfRange(text, from, text.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static boolean copiesFaithfully(byte[] word, boolean complete, List<byte[]> userWords) {
    if (word.length < COPY_PREFIX) {
      return true;
    }
    boolean copy = false;
    for (byte[] user : userWords) {
      if (!startsWith(user, word, COPY_PREFIX)) {
        continue;
      }
      copy = true;
      boolean fits = complete ? Arrays.equals(user, word) : startsWith(user, word, word.length);
      if (fits) {
        return true;
      }
    }
    return !copy;
  }

  /** Whether {@code a} and {@code b} both hold at least {@code n} bytes and agree on their first n. */
  private static boolean startsWith(byte[] a, byte[] b, int n) {
    if (a.length < n || b.length < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /** The words of {@code text}, lower-cased (ASCII). */
  static List<byte[]> words(byte[] text) {
    List<byte[]> out = new ArrayList<>();
    int wordStart = -1;
    for (int i = 0; i <= text.length; i++) {
      if (i < text.length && isLetter(text, i)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else if (wordStart >= 0) {
        out.add(lower(text, wordStart, i));
        wordStart = -1;
      }
    }
    return out;
  }

  private static boolean isLetter(byte[] text, int i) {
    int b = text[i] & 0xFF;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '-' || isLatinLead(b)) {
      return true;
    }
    return b >= 0x80 && b <= 0xBF && i > 0 && isLatinLead(text[i - 1] & 0xFF);
  }

  private static boolean isLatinLead(int b) {
    return b >= 0xC3 && b <= 0xC9;
  }

  private static byte[] lower(byte[] text, int from, int to) {
    byte[] out = Arrays.copyOfRange(text, from, to);
    for (int i = 0; i < out.length; i++) {
      if (out[i] >= 'A' && out[i] <= 'Z') {
        out[i] += 'a' - 'A';
      }
    }
    return out;
  }
}

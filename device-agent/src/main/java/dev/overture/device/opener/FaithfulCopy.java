package dev.overture.device.opener;

import dev.overture.lm.Utf8Assembler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the user's own words intact in what the micro model says, and lets it go on with them
 * (decisions D47 and D49). A micro model copies a word it was never taught piece by piece: a wrong
 * piece turns "mackinaw" into "mackinawinaw", and a piece it does not dare to take turns "What is
 * a mackinaw coat?" into "A mackinaw away is". Spoken at once, before the cloud can judge it, a
 * garbled or missing word is the worst thing the device can say. So decoding takes:
 *
 * <ol>
 *   <li>the model's best token that keeps every copied word faithful: a word built from two or
 *       more tokens that begins like one of the user's words (the same first three letters, ASCII
 *       case aside) must stay a prefix of such a word while it grows, and be one of them when it
 *       ends. Words said in one token, and words that begin like none of the user's, are never
 *       touched, so facts and templates pass unchanged;
 *   <li>unless a token that goes on with the user's own words scores within {@link #COPY_MARGIN}
 *       of it. "Going on" is a copy: the longest stretch at the end of the reply (from a word's
 *       start, at most {@link #COPY_SPAN} bytes, with a letter or two bytes such as {@code  "})
 *       that the user also said from a word's start, followed by what the user said next. A copy
 *       never says a word of three letters or more twice, nor the user's sentence punctuation.
 * </ol>
 *
 * Control tokens other than the reply's end are never said ({@link TokenTable#sayable}), and every
 * token keeps the reply well-formed UTF-8 ({@link Utf8Assembler#accepts}; the reply ends only
 * between characters), so a byte-level model cannot garble "naïveté" into U+FFFD (D51).
 *
 * <p>Letters are ASCII letters, the hyphen and the Latin letters of Unicode's Latin-1 Supplement
 * and Latin Extended blocks (two-byte UTF-8 with lead bytes 0xC3-0xC9); other scripts are left
 * alone. {@code training/faithful_copy.py} applies the same rules in the evaluation, and both are
 * checked against {@code models/fixtures/faithful-copy.json}. Not thread-safe: one generation on
 * one thread.
 */
final class FaithfulCopy {

  /** How many of the model's best tokens are tried before falling back to the best one. */
  static final int CANDIDATES = 64;
  /** Letters a word shares with a user word before it counts as a copy of it. */
  static final int COPY_PREFIX = 3;
  /**
   * How far (in logits) below the otherwise chosen token a token that goes on with the user's
   * words may score and still be taken: chosen on held-out lemmas distinct from the evaluation's
   * as the widest margin that left the micro's taught-fact F1 unchanged (D49).
   */
  static final float COPY_MARGIN = 10f;
  /**
   * The margin once the copy is well under way: the copied stretch is inside the user's quotes, or
   * holds a word no single token spells (the rare words questions ask about), or holds a word and
   * goes on into such a word; a multi-word name such as "charlestown navy yard" or "venous sinus"
   * is then finished (D52, D56).
   */
  static final float ONGOING_MARGIN = 15f;
  /** The longest stretch of the reply, in bytes, matched against what the user said. */
  static final int COPY_SPAN = 64;

  private final List<byte[]> userWords;
  /** The question as written (copies keep its spelling) and lower-cased (for matching). */
  private final List<byte[]> userTexts = new ArrayList<>();
  private final List<byte[]> userLower = new ArrayList<>();
  /** What the reply holds so far. */
  private byte[] spoken = new byte[128];
  private int spokenLength;
  /** The letters at the end of what was said: the only word a token can still extend or end. */
  private byte[] wordInProgress = new byte[0];
  private final int[] best = new int[CANDIDATES];
  /** The user's words the word in progress is a copy of, for this step ({@link #alignedWords}). */
  private List<byte[]> aligned = new ArrayList<>();
  /** The reply's unfinished character, if any: a token must keep the text well-formed (D51). */
  private final Utf8Assembler utf8 = new Utf8Assembler();

  /**
   * @param userTexts the user's texts whose words are protected: the question first, which is
   *     also the only text copied from (D53: copying from the previous question named the last
   *     turn's word in a new question), then the one before it
   * @param spokenSoFar what the reply already holds (empty for an opener)
   */
  FaithfulCopy(List<String> userTexts, String spokenSoFar) {
    List<byte[]> words = new ArrayList<>();
    for (String text : userTexts) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      if (this.userTexts.isEmpty()) {
        this.userTexts.add(utf8);
        this.userLower.add(lower(utf8, 0, utf8.length));
      }
      for (byte[] word : words(utf8)) {
        if (word.length >= COPY_PREFIX) {
          words.add(word);
        }
      }
    }
    this.userWords = words;
    append(spokenSoFar.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The token to say: the best of the {@link #CANDIDATES} best-scored tokens that is sayable,
   * keeps the text well-formed and keeps copied words faithful, unless a token that goes on with
   * the user's words scores within {@link #COPY_MARGIN} of it or none of them qualifies. When
   * nothing does: {@code greedy} if it ends the reply or is sayable, else the best sayable token (a
   * control token is never said).
   */
  int choose(float[] logits, int greedy, TokenTable tokens) {
    Match match = longestMatch();
    aligned = alignedWords(match);
    int chosen = -1;
    if (tokens.sayable(greedy) && allows(greedy, tokens)) {
      chosen = greedy;
    } else {
      int n = topTokens(logits);
      for (int i = 0; i < n && chosen < 0; i++) {
        if (tokens.sayable(best[i]) && allows(best[i], tokens)) {
          chosen = best[i];
        }
      }
    }
    int copy = bestCopy(logits, tokens, match);
    float margin = ongoing(match, tokens) ? ONGOING_MARGIN : COPY_MARGIN;
    if (copy >= 0 && (chosen < 0 || logits[copy] >= logits[chosen] - margin)) {
      chosen = copy;
    }
    if (chosen >= 0) {
      return chosen;
    }
    return tokens.ends(greedy) || tokens.sayable(greedy) ? greedy : tokens.bestSayable(logits, t -> true);
  }

  /** Records a token said, after {@link #choose}. */
  void append(byte[] tokenBytes) {
    if (spokenLength + tokenBytes.length > spoken.length) {
      spoken = Arrays.copyOf(spoken, Math.max(2 * spoken.length, spokenLength + tokenBytes.length));
    }
    System.arraycopy(tokenBytes, 0, spoken, spokenLength, tokenBytes.length);
    spokenLength += tokenBytes.length;
    wordInProgress = trailingWord(concat(wordInProgress, tokenBytes));
    utf8.append(tokenBytes);
  }

  private boolean allows(int token, TokenTable tokens) {
    boolean ends = tokens.ends(token);
    byte[] bytes = ends ? END : tokens.bytes(token);
    if (ends ? !utf8.atCharacterBoundary() : !utf8.accepts(bytes)) {
      return false;
    }
    return faithfulAfterWord(wordInProgress, bytes, userWords, COPY_PREFIX)
        && (aligned.isEmpty() || faithfulAfterWord(wordInProgress, bytes, aligned, 0));
  }

  private static final byte[] END = {' '};

  /**
   * The best-scored token that goes on with the user's words as the class describes, or -1: it
   * spells the start of what the user said after the matched stretch, unless that builds a word
   * the reply already said, holds sentence punctuation, or ends in whitespace (byte-level BPE
   * never splits a word from its space, so the model would not know how to go on).
   */
  private int bestCopy(float[] logits, TokenTable tokens, Match match) {
    if (match.places.isEmpty()) {
      return -1;
    }
    Set<String> said = saidWords();
    int copy = -1;
    for (int[] place : match.places) {
      byte[] text = userTexts.get(place[0]);
      int from = place[1] + match.length;
      int to = Math.min(text.length, from + COPY_SPAN);
      if (from >= to || said.contains(nextWord(text, from, to))) {
        continue;
      }
      for (int end = from + 1; end <= Math.min(to, from + tokens.longestPiece()); end++) {
        int token = tokens.tokenSpelling(text, from, end);
        if (token >= 0 && (copy < 0 || logits[token] > logits[copy]) && copyable(tokens.bytes(token))
            && allows(token, tokens)) {
          copy = token;
        }
      }
    }
    return copy;
  }

  private static boolean copyable(byte[] piece) {
    for (byte b : piece) {
      if (b == '.' || b == '?' || b == '!') {
        return false;
      }
    }
    return !isBlank(piece[piece.length - 1]);
  }

  /** The longest stretch at the end of the reply that the user also said, and where they did. */
  private static final class Match {
    final int length;
    /** {user text index, offset of the stretch} pairs. */
    final List<int[]> places;

    Match(int length, List<int[]> places) {
      this.length = length;
      this.places = places;
    }
  }

  /**
   * The longest stretch at the end of the reply that the user also said, both from a word's start
   * (ASCII case aside); none when no stretch with a letter or two bytes matches.
   */
  private Match longestMatch() {
    for (int n = Math.min(spokenLength, COPY_SPAN); n > 0; n--) {
      int start = spokenLength - n;
      if (!boundary(spoken, start) || blank(spoken, start, spokenLength) || (n < 2 && !isLetter(spoken, start))) {
        continue;
      }
      List<int[]> places = new ArrayList<>();
      for (int k = 0; k < userLower.size(); k++) {
        byte[] user = userLower.get(k);
        for (int j = 0; j + n <= user.length; j++) {
          if (boundary(user, j) && matchesLower(user, j, spoken, start, n)) {
            places.add(new int[] {k, j});
          }
        }
      }
      if (!places.isEmpty()) {
        return new Match(n, places);
      }
    }
    return new Match(0, new ArrayList<>());
  }

  /**
   * The user's words (lower-cased) the word in progress is a copy of: where the matched stretch
   * began before that word, the user word at the same place. A copy under way must go on as one of
   * them, however short the word is so far ("The word \"s" for "soufflé"), D52.
   */
  private List<byte[]> alignedWords(Match match) {
    List<byte[]> words = new ArrayList<>();
    int word = wordInProgress.length;
    if (word == 0 || match.length <= word) {
      return words;
    }
    for (int[] place : match.places) {
      byte[] user = userLower.get(place[0]);
      int start = place[1] + match.length - word;
      int end = start;
      while (end < user.length && isLetter(user, end)) {
        end++;
      }
      words.add(Arrays.copyOfRange(user, start, end));
    }
    return words;
  }

  /**
   * Whether the copy is well under way: inside the user's quotes, or (with no quote in the
   * stretch) a rare word copied (D52), or a word of {@link #COPY_PREFIX} letters or more copied
   * and a rare word next ("A venous" before "sinus", D56).
   */
  private boolean ongoing(Match match, TokenTable tokens) {
    int from = spokenLength - match.length;
    int quotes = 0;
    for (int i = from; i < spokenLength; i++) {
      if (spoken[i] == '"') {
        quotes++;
      }
    }
    if (quotes > 0) {
      return quotes % 2 == 1; // inside the user's quotes, or a quoted name finished
    }
    int wordStart = -1;
    boolean wordCopied = false;
    for (int i = from; i <= spokenLength; i++) {
      if (i < spokenLength && isLetter(spoken, i)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else if (wordStart >= 0) {
        if (i - wordStart >= COPY_PREFIX) {
          if (rare(Arrays.copyOfRange(spoken, wordStart, i), tokens)) {
            return true;
          }
          wordCopied = true;
        }
        wordStart = -1;
      }
    }
    return wordCopied && rareWordNext(match, tokens);
  }

  /** Whether a copy would go on into a word that no single token spells, at any of the match's places. */
  private boolean rareWordNext(Match match, TokenTable tokens) {
    for (int[] place : match.places) {
      byte[] text = userTexts.get(place[0]);
      int from = place[1] + match.length;
      String word = nextWord(text, from, Math.min(text.length, from + COPY_SPAN));
      if (!word.isEmpty() && rare(word.getBytes(StandardCharsets.ISO_8859_1), tokens)) {
        return true;
      }
    }
    return false;
  }

  /** Whether no single token spells {@code word}, with or without its space, ASCII case aside. */
  private static boolean rare(byte[] word, TokenTable tokens) {
    byte[] lower = lower(word, 0, word.length);
    for (byte[] form : new byte[][] {word, lower}) {
      byte[] spaced = concat(new byte[] {' '}, form);
      if (tokens.tokenSpelling(form, 0, form.length) >= 0 || tokens.tokenSpelling(spaced, 0, spaced.length) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** The word a copy of {@code text[from, to)} builds: the word in progress completed, or the next. */
  private String nextWord(byte[] text, int from, int to) {
    int i = from;
    byte[] head = new byte[0];
    if (i < to && isLetter(text, i) && wordInProgress.length > 0) {
      head = wordInProgress;
    } else {
      while (i < to && !isLetter(text, i)) {
        i++;
      }
    }
    int end = i;
    while (end < to && isLetter(text, end)) {
      end++;
    }
    byte[] word = concat(head, Arrays.copyOfRange(text, i, end));
    return new String(lower(word, 0, word.length), StandardCharsets.ISO_8859_1);
  }

  /** The reply's complete words of {@link #COPY_PREFIX} letters or more (lower-cased). */
  private Set<String> saidWords() {
    Set<String> said = new HashSet<>();
    for (byte[] word : words(Arrays.copyOf(spoken, spokenLength - wordInProgress.length))) {
      if (word.length >= COPY_PREFIX) {
        said.add(new String(word, StandardCharsets.ISO_8859_1));
      }
    }
    return said;
  }

  /** Whether a copy may start at {@code text[i]}: not inside a word, nor inside a UTF-8 character. */
  private static boolean boundary(byte[] text, int i) {
    if (i == 0) {
      return true;
    }
    int b = text[i] & 0xFF;
    if (b >= 0x80 && b <= 0xBF) {
      return false;
    }
    return !(isLetter(text, i) && isLetter(text, i - 1));
  }

  private static boolean blank(byte[] text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isBlank(text[i])) {
        return false;
      }
    }
    return true;
  }

  /** ASCII whitespace, as Python's {@code bytes.isspace}. */
  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == 0x0C;
  }

  /** Whether {@code lower[j, j + n)} equals {@code text[i, i + n)} lower-cased (ASCII). */
  private static boolean matchesLower(byte[] lower, int j, byte[] text, int i, int n) {
    for (int k = 0; k < n; k++) {
      byte b = text[i + k];
      if (b >= 'A' && b <= 'Z') {
        b += 'a' - 'A';
      }
      if (lower[j + k] != b) {
        return false;
      }
    }
    return true;
  }

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
    return faithfulAfterWord(trailingWord(spoken), candidate, userWords, COPY_PREFIX);
  }

  /**
   * The rule after a text ending in {@code word} (its trailing letters): only that word can break
   * it, as the candidate extends or ends it. A word inside the candidate alone is a vocabulary
   * word, said in one piece.
   */
  private static boolean faithfulAfterWord(byte[] word, byte[] candidate, List<byte[]> userWords, int copyPrefix) {
    if (word.length == 0) {
      return true;
    }
    byte[] text = concat(word, candidate);
    int end = word.length;
    while (end < text.length && isLetter(text, end)) {
      end++;
    }
    return copiesFaithfully(lower(text, 0, end), end < text.length, userWords, copyPrefix);
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

  /**
   * Whether {@code word} is faithful to the user words it copies: those sharing its first {@code
   * copyPrefix} letters (with 0, all of {@code userWords}: the word must be a copy).
   */
  private static boolean copiesFaithfully(byte[] word, boolean complete, List<byte[]> userWords, int copyPrefix) {
    if (word.length < copyPrefix) {
      return true;
    }
    boolean copy = false;
    for (byte[] user : userWords) {
      if (!startsWith(user, word, copyPrefix)) {
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

package dev.overture.device.opener;

import dev.overture.lm.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * What the device's decoding rules need to know about a vocabulary, computed once per model: each
 * token's bytes, which tokens end a reply, which may never be said, and which token spells a given
 * stretch of bytes. A control token other than one that ends the reply ({@code <|im_start|>},
 * {@code <|pad|>}) is never part of speech: a micro model that emits one mid-reply would otherwise
 * have its markup read out. Immutable.
 */
final class TokenTable {

  private final byte[][] pieces;
  private final boolean[] ends;
  private final boolean[] sayable;
  /** Sayable pieces by their bytes (as ISO-8859-1 strings: one char per byte), the lowest id first. */
  private final Map<String, Integer> bySpelling = new HashMap<>();
  private final int longestPiece;

  /**
   * @param pieces each token's bytes
   * @param ends whether each token ends the reply
   * @param control whether each token is a control token (never said, unless it ends the reply)
   */
  TokenTable(byte[][] pieces, boolean[] ends, boolean[] control) {
    this.pieces = pieces;
    this.ends = ends;
    this.sayable = new boolean[pieces.length];
    int longest = 0;
    for (int t = pieces.length - 1; t >= 0; t--) {
      sayable[t] = ends[t] || !control[t];
      if (!ends[t] && !control[t] && pieces[t].length > 0) {
        bySpelling.put(new String(pieces[t], StandardCharsets.ISO_8859_1), t);
        longest = Math.max(longest, pieces[t].length);
      }
    }
    this.longestPiece = longest;
  }

  static TokenTable of(Tokenizer tokenizer, Set<Integer> stopTokens) {
    int n = tokenizer.vocabSize();
    byte[][] pieces = new byte[n][];
    boolean[] ends = new boolean[n];
    boolean[] control = new boolean[n];
    for (int t = 0; t < n; t++) {
      pieces[t] = tokenizer.tokenBytes(t);
      ends[t] = stopTokens.contains(t);
      control[t] = tokenizer.isSpecial(t);
    }
    return new TokenTable(pieces, ends, control);
  }

  /** The bytes {@code token} adds to the reply (shared: not to be modified). */
  byte[] bytes(int token) {
    return pieces[token];
  }

  boolean ends(int token) {
    return ends[token];
  }

  /** Whether {@code token} may be said: any token but a control token that does not end the reply. */
  boolean sayable(int token) {
    return sayable[token];
  }

  /** The sayable token other than an end whose bytes are exactly {@code text[from, to)}, or -1. */
  int tokenSpelling(byte[] text, int from, int to) {
    Integer token = bySpelling.get(new String(text, from, to - from, StandardCharsets.ISO_8859_1));
    return token == null ? -1 : token;
  }

  /** The most bytes one sayable token spells. */
  int longestPiece() {
    return longestPiece;
  }

  /** The highest-scored sayable token that {@code allowed} accepts, or -1 when none does. */
  int bestSayable(float[] logits, IntPredicate allowed) {
    int best = -1;
    for (int t = 0; t < logits.length; t++) {
      if (sayable[t] && (best < 0 || logits[t] > logits[best]) && allowed.test(t)) {
        best = t;
      }
    }
    return best;
  }
}

package dev.overture.lm.tokenizer;

import dev.overture.lm.gguf.GgufFormatException;
import dev.overture.lm.gguf.GgufMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.regex.Pattern;

/**
 * SentencePiece-style BPE ({@code tokenizer.ggml.model = llama}), as llama.cpp's {@code
 * llm_tokenizer_spm}: spaces become {@code ▁} (U+2581), a space is prepended at the start and after
 * each special token ({@code tokenizer.ggml.add_space_prefix}, default true), the text starts as
 * one symbol per character, and the adjacent pair whose concatenation is the highest-scoring token
 * is merged (leftmost first among equal scores) until no pair forms a token. A remaining symbol
 * that is no token is spelled with byte tokens {@code <0x00>}..{@code <0xFF>} (byte fallback).
 */
final class SentencePieceTokenizer extends VocabularyTokenizer {
  private static final char WORD_MARK = '\u2581';
  private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

  private final int[] byteTokens = new int[256];
  private final boolean[] isByteToken;

  private SentencePieceTokenizer(Vocabulary vocab, boolean typesGiven) {
    super(vocab);
    isByteToken = new boolean[vocab.size()];
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.ids.get(String.format(Locale.ROOT, "<0x%02X>", b));
      byteTokens[b] = id == null ? -1 : id;
    }
    for (int id = 0; id < vocab.size(); id++) {
      // Without token types, llama.cpp still finds byte tokens by their text when encoding.
      isByteToken[id] = (vocab.types[id] == TokenType.BYTE || !typesGiven)
          && BYTE_TOKEN.matcher(vocab.texts[id]).matches();
    }
    initPieces();
  }

  static SentencePieceTokenizer fromGguf(GgufMetadata metadata) throws GgufFormatException {
    Vocabulary vocab = new Vocabulary(metadata, true, true);
    return new SentencePieceTokenizer(vocab, metadata.has(Vocabulary.TOKEN_TYPE));
  }

  /** A symbol: a span of the escaped text, linked to its neighbours. */
  private static final class Symbol {
    int start;
    int end;
    int prev;
    int next;
  }

  private record Bigram(int left, int right, float score, int size) {}

  @Override
  void encodeText(String text, boolean afterBoundary, TokenBuffer out) {
    String escaped = ((vocab.addSpacePrefix && afterBoundary ? " " : "") + text).replace(' ', WORD_MARK);
    escaped = replaceLoneSurrogates(escaped);

    List<Symbol> symbols = new ArrayList<>();
    for (int i = 0; i < escaped.length(); ) {
      Symbol s = new Symbol();
      s.start = i;
      i += Character.charCount(escaped.codePointAt(i));
      s.end = i;
      s.prev = symbols.size() - 1;
      s.next = i < escaped.length() ? symbols.size() + 1 : -1;
      symbols.add(s);
    }
    PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score() != b.score()
        ? Float.compare(b.score(), a.score())
        : Integer.compare(a.left(), b.left()));
    for (int i = 1; i < symbols.size(); i++) {
      offer(queue, escaped, symbols, i - 1, i);
    }
    while (!queue.isEmpty()) {
      Bigram bigram = queue.poll();
      Symbol left = symbols.get(bigram.left());
      Symbol right = symbols.get(bigram.right());
      if (left.start == left.end || right.start == right.end
          || (left.end - left.start) + (right.end - right.start) != bigram.size() || left.next != bigram.right()) {
        continue; // one side was merged since this pair was queued
      }
      left.end = right.end;
      right.end = right.start;
      left.next = right.next;
      if (right.next >= 0) {
        symbols.get(right.next).prev = bigram.left();
      }
      offer(queue, escaped, symbols, left.prev, bigram.left());
      offer(queue, escaped, symbols, bigram.left(), left.next);
    }
    for (int i = symbols.isEmpty() ? -1 : 0; i >= 0; i = symbols.get(i).next) {
      Symbol s = symbols.get(i);
      String piece = escaped.substring(s.start, s.end);
      Integer id = vocab.ids.get(piece);
      if (id != null) {
        out.add(id);
      } else {
        appendBytes(piece.getBytes(StandardCharsets.UTF_8), byteTokens, out);
      }
    }
  }

  private void offer(PriorityQueue<Bigram> queue, String escaped, List<Symbol> symbols, int left, int right) {
    if (left < 0 || right < 0) {
      return;
    }
    Symbol l = symbols.get(left);
    Symbol r = symbols.get(right);
    Integer id = vocab.ids.get(escaped.substring(l.start, r.end));
    if (id != null) {
      queue.add(new Bigram(left, right, vocab.scores[id], r.end - l.start));
    }
  }

  @Override
  byte[] normalPiece(int token) {
    if (isByteToken[token]) {
      return new byte[] {(byte) Integer.parseInt(vocab.texts[token].substring(3, 5), 16)};
    }
    return vocab.texts[token].replace(WORD_MARK, ' ').getBytes(StandardCharsets.UTF_8);
  }

  @Override
  boolean stripsSpacePrefix() {
    return vocab.addSpacePrefix;
  }

  private static String replaceLoneSurrogates(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        if (out != null) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(s.substring(0, i));
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }
}

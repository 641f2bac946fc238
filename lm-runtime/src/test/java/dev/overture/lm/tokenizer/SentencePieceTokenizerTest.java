package dev.overture.lm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** Vectors derived by hand from the scores of {@link TinyVocabularies#llama}. */
class SentencePieceTokenizerTest {
  private static final int SPACE_MARK = 259;
  private static final int SPACE_HELLO = 271;
  private static final int SPACE_WORLD = 276;

  private final Tokenizer tokenizer = TinyVocabularies.tokenizer(TinyVocabularies.llama(true));

  /** Byte b's fallback token <0xNN> is 3 + b. */
  private static int b(int value) {
    return 3 + value;
  }

  @Test
  void mergesHighestScoreFirst() {
    // "▁hello▁world": he(-1), ll(-2), hell(-3), hello(-4), ▁hello(-5), ▁w(-6), or(-7), ▁wor(-8),
    // ld(-9), ▁world(-10), each merge making the next pair a token.
    assertArrayEquals(new int[] {SPACE_HELLO, SPACE_WORLD}, tokenizer.encode("hello world"));
  }

  @Test
  void prefersTheHigherScoringPair() {
    // "▁xyz": xy scores -1, yz -0.5, so yz merges and x stays (lowest-first would give xy z).
    assertArrayEquals(new int[] {SPACE_MARK, 278, 282}, tokenizer.encode("xyz"));
  }

  @Test
  void mergesTheLeftmostPairAmongEqualScores() {
    // "▁pqp": pq and qp both score -3; the left pair merges first: pq p.
    assertArrayEquals(new int[] {SPACE_MARK, 285, 283}, tokenizer.encode("pqp"));
  }

  @Test
  void fallsBackToBytes() {
    // "▁hi\n": ▁ and h are tokens but no pair is; i and \n are not tokens: <0x69>, <0x0A>.
    assertArrayEquals(new int[] {SPACE_MARK, 260, b('i'), b('\n')}, tokenizer.encode("hi\n"));
  }

  @Test
  void fallsBackToBytesForEmoji() {
    // 😀 is no token: its UTF-8 bytes F0 9F 98 80.
    int[] ids = tokenizer.encode("😀");
    assertArrayEquals(new int[] {SPACE_MARK, b(0xF0), b(0x9F), b(0x98), b(0x80)}, ids);
    assertEquals("😀", tokenizer.decode(ids));
  }

  @Test
  void keepsMultiByteTokens() {
    assertArrayEquals(new int[] {SPACE_MARK, 277}, tokenizer.encode("é"));
  }

  @Test
  void prefixesASpaceAfterSpecialTokens() {
    // <s> is matched; the text after it gets the space prefix again: ▁hello.
    int[] ids = tokenizer.encodeWithSpecials("<s>hello</s>");
    assertArrayEquals(new int[] {1, SPACE_HELLO, 2}, ids);
    assertEquals("<s>hello</s>", tokenizer.decode(ids));
  }

  @Test
  void decodeRemovesOnlyTheAddedSpace() {
    assertEquals("hello world", tokenizer.decode(new int[] {SPACE_HELLO, SPACE_WORLD}));
    assertEquals(" hello", tokenizer.decode(tokenizer.encode(" hello")));
    assertArrayEquals(new byte[] {' ', 'h', 'e', 'l', 'l', 'o'}, tokenizer.tokenBytes(SPACE_HELLO));
  }

  @Test
  void usesLlamaDefaults() {
    assertEquals(1, tokenizer.bos());
    assertEquals(2, tokenizer.eos());
    assertTrue(tokenizer.addBos());
    assertEquals(new HashSet<>(Arrays.asList(2)), tokenizer.endOfGeneration());
    assertTrue(tokenizer.isSpecial(0));
    assertFalse(tokenizer.isSpecial(b('a')));
  }

  @Test
  void findsByteTokensByTextWithoutTokenTypes() {
    Tokenizer untyped = TinyVocabularies.tokenizer(TinyVocabularies.llama(false));
    int[] ids = untyped.encode("hi\n");
    assertArrayEquals(new int[] {SPACE_MARK, 260, b('i'), b('\n')}, ids);
    assertEquals("hi\n", untyped.decode(ids));
  }

  @Test
  void honoursAddSpacePrefixFalse() {
    Tokenizer noPrefix = TinyVocabularies.tokenizer(TinyVocabularies.llama(true).put("tokenizer.ggml.add_space_prefix", false));
    // "hello▁world" without the leading ▁: hello(-4) wins, then ▁world.
    assertArrayEquals(new int[] {270, SPACE_WORLD}, noPrefix.encode("hello world"));
    assertEquals("hello world", noPrefix.decode(new int[] {270, SPACE_WORLD}));
  }
}

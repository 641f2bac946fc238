package dev.overture.lm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** Vectors derived by hand from the merge ranks of {@link TinyVocabularies#gpt2}. */
class ByteLevelBpeTokenizerTest {
  private static final int HELLO = 263;
  private static final int SPACE_WORLD = 268;

  private final Tokenizer tokenizer = TinyVocabularies.tokenizer(TinyVocabularies.gpt2("gpt-2"));

  /** Byte b is token 4 + b. */
  private static int b(int value) {
    return 4 + value;
  }

  @Test
  void mergesByRank() {
    // "hello": h·e (rank 0) → he, l·l (1) → ll, he·ll (2) → hell, hell·o (3) → hello.
    // " world": Ġ·w (4), o·r (5), Ġw·or (6), l·d (7), Ġwor·ld (8) → Ġworld.
    assertArrayEquals(new int[] {HELLO, SPACE_WORLD}, tokenizer.encode("hello world"));
  }

  @Test
  void mergesTheLowestRankFirst() {
    // x·y has rank 13, y·z rank 12: yz wins and x is left alone (the reverse order would give xy z).
    assertArrayEquals(new int[] {b('x'), 272}, tokenizer.encode("xyz"));
  }

  @Test
  void mergesTheLeftmostPairAmongEqualRanks() {
    // a·a (rank 14) occurs at positions 0 and 1; the left one merges first: aa a.
    assertArrayEquals(new int[] {274, b('a')}, tokenizer.encode("aaa"));
  }

  @Test
  void leavesTheLastOfSeveralSpacesToTheNextWord() {
    // \s+(?!\S) takes one of the two spaces, the other prefixes "world" (GPT-2 pre-tokenizer).
    assertArrayEquals(new int[] {HELLO, b(' '), SPACE_WORLD}, tokenizer.encode("hello  world"));
  }

  @Test
  void mergesMultiByteCharacters() {
    // é is C3 A9, spelled Ã©; merge 9 joins them. c, a, f stay bytes.
    assertArrayEquals(new int[] {b('c'), b('a'), b('f'), 269}, tokenizer.encode("café"));
  }

  @Test
  void splitsEmojiAcrossTokens() {
    // 😀! is one pre-token (neither letter nor digit): F0 9F 98 80 21 = ð Ł ĺ Ģ !;
    // merges 10 and 11 give ðŁĺ, the final byte 0x80 and '!' stay single.
    int[] ids = tokenizer.encode("😀!");
    assertArrayEquals(new int[] {271, b(0x80), b('!')}, ids);
    assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, tokenizer.tokenBytes(271));
    assertEquals("😀!", tokenizer.decode(ids));
  }

  @Test
  void splitsContractions() {
    // "he" (merge 0), then the contraction "'s" as its own pre-token of two bytes.
    assertArrayEquals(new int[] {260, b('\''), b('s')}, tokenizer.encode("he's"));
  }

  @Test
  void plainEncodingNeverProducesSpecialTokens() {
    int[] ids = tokenizer.encode("<|im_start|>user");
    for (int id : ids) {
      assertFalse(tokenizer.isSpecial(id), "special token " + id);
    }
    assertEquals("<|im_start|>user", tokenizer.decode(ids));
  }

  @Test
  void encodeWithSpecialsMatchesSpecialTokenTexts() {
    // <|im_start|> = 1; "user" has no merges; "\n" alone is a \s+ pre-token; "hello" = 263; <|im_end|> = 2.
    int[] expected = {1, b('u'), b('s'), b('e'), b('r'), b('\n'), HELLO, 2, b('\n')};
    String chat = "<|im_start|>user\nhello<|im_end|>\n";
    assertArrayEquals(expected, tokenizer.encodeWithSpecials(chat));
    assertEquals(chat, tokenizer.decode(expected));
  }

  @Test
  void describesTheVocabulary() {
    assertEquals(276, tokenizer.vocabSize());
    assertEquals(1, tokenizer.bos());
    assertEquals(2, tokenizer.eos());
    assertFalse(tokenizer.addBos());
    assertEquals(new HashSet<>(Arrays.asList(2, 3)), tokenizer.endOfGeneration());
    assertTrue(tokenizer.isSpecial(0));
    assertFalse(tokenizer.isSpecial(HELLO));
    assertEquals("Ġworld", tokenizer.tokenText(SPACE_WORLD));
    assertEquals(263, tokenizer.tokenId("hello").getAsInt());
    assertFalse(tokenizer.tokenId("nope").isPresent());
    assertArrayEquals(" world".getBytes(StandardCharsets.UTF_8), tokenizer.tokenBytes(SPACE_WORLD));
  }

  @Test
  void rejectsTokensOutsideTheVocabulary() {
    assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {276}));
    assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenBytes(-1));
  }

  @Test
  void encodesLoneSurrogatesAsReplacementCharacter() {
    int[] ids = tokenizer.encode("a\uD800b");
    assertEquals("a\uFFFDb", tokenizer.decode(ids));
  }

  @Test
  void gpt2PreTokenizerMergesOnly() {
    // "wd" is a token but no merge joins w and d; digits form one pre-token without merges.
    assertArrayEquals(new int[] {b('w'), b('d'), b('1'), b('2'), b('3'), b('4')}, tokenizer.encode("wd1234"));
  }

  @Test
  void llama3PreTokenizerTakesWholeTokensWithoutMerging() {
    // ignore_merges: the pre-token "wd" is a token, so it is taken whole; digits split in threes.
    Tokenizer llama3 = TinyVocabularies.tokenizer(TinyVocabularies.gpt2("llama-bpe"));
    assertArrayEquals(new int[] {275, b('1'), b('2'), b('3'), b('4')}, llama3.encode("wd1234"));
  }
}

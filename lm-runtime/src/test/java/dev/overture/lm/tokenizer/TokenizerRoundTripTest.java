package dev.overture.lm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties over random strings: decode inverts encode, and plain encoding makes no specials. */
class TokenizerRoundTripTest {
  private static final int CASES = 1500;

  /** Building blocks: ASCII, Latin-1, combining marks, CJK, emoji, odd whitespace, specials' text. */
  private static final String[] PARTS = {
    "a", "Z", "hello", " world", "1234567", "'s", "'LL", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000",
    "é", "e\u0301", "ß", "Ω", "日本", "한국어", "ق", "😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "\uD800", "\uDFFF", "\u0000",
    "\uFFFF", "<", "|", ">", "<|im_start|>", "<|im_end|>", "<s>", "</s>", "<0x0A>", "!?", "...", "$5"
  };

  private static String randomText(Random random) {
    StringBuilder s = new StringBuilder();
    int parts = random.nextInt(12);
    for (int i = 0; i < parts; i++) {
      if (random.nextInt(4) == 0) {
        s.appendCodePoint(randomCodePoint(random));
      } else {
        s.append(PARTS[random.nextInt(PARTS.length)]);
      }
    }
    return s.toString();
  }

  private static int randomCodePoint(Random random) {
    switch (random.nextInt(4)) {
      case 0: return random.nextInt(0x80);
      case 1: return random.nextInt(0x800);
      case 2: return random.nextInt(0x10000);
      default: return 0x10000 + random.nextInt(0x100000);
    }
  }

  /** What a Java string becomes through UTF-8: each lone surrogate turns into U+FFFD. */
  private static String throughUtf8(String s) {
    return new String(VocabularyTokenizer.utf8(s), StandardCharsets.UTF_8);
  }

  private static byte[] concatenatedBytes(Tokenizer tokenizer, int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      byte[] b = tokenizer.tokenBytes(id);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  /**
   * Checks decode(encode(s)) and decode(encodeWithSpecials(s)) give s back, that plain encoding
   * makes no special token, and that the tokens' bytes are the text's UTF-8 ({@code prefix}
   * first: SentencePiece's space).
   */
  private static void assertRoundTrips(Tokenizer tokenizer, long seed, String prefix) {
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      // U+2581 is SentencePiece's space marker: text containing it decodes with a space there.
      String text = randomText(random).replace('\u2581', '_');
      String expected = throughUtf8(text);
      int[] plain = tokenizer.encode(text);
      assertEquals(expected, tokenizer.decode(plain), () -> "text: " + text);
      byte[] bytes = text.isEmpty() ? new byte[0] : (prefix + expected).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(bytes, concatenatedBytes(tokenizer, plain), () -> "text: " + text);
      for (int id : plain) {
        assertFalse(tokenizer.isSpecial(id), () -> "special in plain encoding of " + text);
      }
      assertEquals(expected, tokenizer.decode(tokenizer.encodeWithSpecials(text)), () -> "text: " + text);
    }
  }

  @Test
  void byteLevelBpeRoundTrips() {
    assertRoundTrips(TinyVocabularies.tokenizer(TinyVocabularies.gpt2("gpt-2")), 42, "");
  }

  @Test
  void llama3PreTokenizerRoundTrips() {
    assertRoundTrips(TinyVocabularies.tokenizer(TinyVocabularies.gpt2("llama3")), 7, "");
  }

  @Test
  void sentencePieceRoundTrips() {
    assertRoundTrips(TinyVocabularies.tokenizer(TinyVocabularies.llama(true)), 1234, " ");
  }
}

package dev.overture.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void exceedsCountsEncodedBytesNotCharacters() {
    String text = "é😀a"; // 2 + 4 + 1 bytes
    assertEquals(7, text.getBytes(StandardCharsets.UTF_8).length);
    assertFalse(Utf8.exceeds(text, 7));
    assertTrue(Utf8.exceeds(text, 6));
  }

  @Test
  void exceedsCountsThreeByteCharacters() {
    assertFalse(Utf8.exceeds("音楽", 6));
    assertTrue(Utf8.exceeds("音楽", 5));
  }

  @Test
  void decodeStrictDecodesWellFormedUtf8() {
    assertEquals("é😀", Utf8.decodeStrict("é😀".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decodeStrictRejectsMalformedSequences() {
    assertNull(Utf8.decodeStrict(new byte[] {(byte) 0xc3, 0x28}));
    assertNull(Utf8.decodeStrict(new byte[] {(byte) 0xc0, (byte) 0xaf}), "overlong");
    assertNull(Utf8.decodeStrict(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), "surrogate");
  }

  @Test
  void wellFormedRequiresPairedSurrogates() {
    assertTrue(Utf8.isWellFormed("a😀b"));
    assertFalse(Utf8.isWellFormed("a\ud800b"));
    assertFalse(Utf8.isWellFormed("a\udc00b"));
    assertFalse(Utf8.isWellFormed("a\ud800"));
  }

  @Test
  void codePointsCountSurrogatePairsOnce() {
    assertEquals(3, Utf8.codePoints("a😀b"));
  }

  @Test
  void truncateCutsAtCodePointsAndNeverSplitsAPair() {
    assertEquals("a😀", Utf8.truncate("a😀b", 2));
    assertEquals("a", Utf8.truncate("a😀b", 1));
    assertEquals("abc", Utf8.truncate("abc", 5));
  }
}

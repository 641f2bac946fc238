package dev.overture.device.opener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class TokenTableTest {

  private static final byte[][] PIECES = {
    utf8("<|im_start|>"), utf8("<|im_end|>"), utf8(" coat"), utf8(" coat"), utf8("co"), new byte[0]
  };
  private static final TokenTable TABLE = new TokenTable(
      PIECES,
      new boolean[] {false, true, false, false, false, false},
      new boolean[] {true, true, false, false, false, false});

  @Test
  void aControlTokenIsSayableOnlyWhenItEndsTheReply() {
    assertFalse(TABLE.sayable(0), "<|im_start|> is markup, never speech");
    assertTrue(TABLE.sayable(1), "<|im_end|> ends the reply");
    assertTrue(TABLE.sayable(2));
  }

  @Test
  void spellsBytesWithTheLowestIdOfASayablePiece() {
    byte[] text = utf8("a coat is");
    assertEquals(2, TABLE.tokenSpelling(text, 1, 6), "two ids spell ' coat': the lower one");
    assertEquals(4, TABLE.tokenSpelling(text, 2, 4));
    assertEquals(-1, TABLE.tokenSpelling(utf8("<|im_start|>"), 0, 12), "a user's markup is no token to copy");
    assertEquals(-1, TABLE.tokenSpelling(text, 0, 3));
    assertEquals(5, TABLE.longestPiece(), "' coat': control tokens and ends do not count");
  }

  @Test
  void theBestSayableTokenSkipsControlTokens() {
    assertEquals(3, TABLE.bestSayable(new float[] {9f, 1f, 2f, 4f, 3f, 0f}, t -> true));
    assertEquals(1, TABLE.bestSayable(new float[] {9f, 8f, 2f, 4f, 3f, 0f}, t -> true), "the end may win");
    assertEquals(4, TABLE.bestSayable(new float[] {9f, 1f, 2f, 4f, 3f, 0f}, t -> t != 3), "and what the caller refuses");
    assertEquals(-1, TABLE.bestSayable(new float[] {9f, 1f, 2f, 4f, 3f, 0f}, t -> false));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

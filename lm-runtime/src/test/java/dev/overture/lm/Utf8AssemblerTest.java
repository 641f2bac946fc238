package dev.overture.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8AssemblerTest {
  @Test
  void holdsBackAnIncompleteSequenceUntilItCompletes() {
    Utf8Assembler a = new Utf8Assembler();
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    assertEquals("x", a.append(new byte[] {'x', e[0]}));
    assertEquals("é", a.append(new byte[] {e[1]}));
  }

  @Test
  void fourByteCharactersArriveWhole() {
    Utf8Assembler a = new Utf8Assembler();
    byte[] emoji = "🎻".getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder();
    for (byte b : emoji) {
      sb.append(a.append(new byte[] {b}));
    }
    assertEquals("🎻", sb.toString());
  }

  @Test
  void flushTurnsAnUnfinishedSequenceIntoTheReplacementCharacter() {
    Utf8Assembler a = new Utf8Assembler();
    assertEquals("", a.append(new byte[] {(byte) 0xE2, (byte) 0x82}));
    assertEquals("\uFFFD", a.flush());
    assertEquals("ok", a.append("ok".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void acceptsOnlyBytesThatKeepTheTextWellFormed() {
    Utf8Assembler a = new Utf8Assembler();
    assertTrue(a.accepts("café".getBytes(StandardCharsets.UTF_8)));
    assertTrue(a.accepts(new byte[] {'x', (byte) 0xC3}), "an unfinished character may follow");
    assertFalse(a.accepts(new byte[] {(byte) 0xA9}), "a stray continuation byte");
    assertFalse(a.accepts(new byte[] {(byte) 0xC0, (byte) 0x80}), "an overlong form");
    assertFalse(a.accepts(new byte[] {(byte) 0xE0, (byte) 0x80}), "an overlong three-byte form");
    assertFalse(a.accepts(new byte[] {(byte) 0xED, (byte) 0xA0}), "a surrogate");
    assertFalse(a.accepts(new byte[] {(byte) 0xF4, (byte) 0x90}), "above U+10FFFF");
    assertFalse(a.accepts(new byte[] {(byte) 0xF5}));
  }

  @Test
  void judgesTheNextBytesAfterTheHeldBackTail() {
    Utf8Assembler a = new Utf8Assembler();
    a.append(new byte[] {'n', 'a', (byte) 0xC3});
    assertFalse(a.atCharacterBoundary());
    assertFalse(a.accepts(new byte[] {'v'}), "é cut short by a letter");
    assertTrue(a.accepts(new byte[] {(byte) 0xAF, 'v'}));
    a.append(new byte[] {(byte) 0xAF});
    assertTrue(a.atCharacterBoundary());
    assertFalse(a.accepts(new byte[] {(byte) 0xAF}), "a second continuation byte after ï");
  }
}

package dev.overture.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

package dev.overture.lm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles text from token bytes that may split a UTF-8 character across tokens: {@link
 * #append} returns only whole characters and keeps the incomplete tail for the next call. {@link
 * #accepts} tells a decoder which tokens keep the text well-formed: a byte-level model can emit a
 * stray continuation byte or cut a character short, which a listener hears as U+FFFD.
 *
 * <p>Not thread-safe.
 */
public final class Utf8Assembler {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /** Adds bytes and returns the text of every character they complete (possibly empty). */
  public String append(byte[] bytes) {
    pending.write(bytes, 0, bytes.length);
    byte[] all = pending.toByteArray();
    int complete = completePrefix(all);
    pending.reset();
    pending.write(all, complete, all.length - complete);
    return new String(all, 0, complete, StandardCharsets.UTF_8);
  }

  /**
   * Whether appending {@code bytes} keeps the text well-formed UTF-8 (RFC 3629: no stray
   * continuation byte, overlong form, surrogate or code point above U+10FFFF), the last character
   * possibly still incomplete.
   */
  public boolean accepts(byte[] bytes) {
    int need = 0;
    int lo = 0x80;
    int hi = 0xBF;
    byte[] tail = pending.toByteArray();
    for (int i = 0; i < tail.length + bytes.length; i++) {
      int b = (i < tail.length ? tail[i] : bytes[i - tail.length]) & 0xFF;
      if (need > 0) {
        if (b < lo || b > hi) {
          return false;
        }
        need--;
        lo = 0x80;
        hi = 0xBF;
      } else if (b < 0x80) {
        continue;
      } else if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
    }
    return true;
  }

  /** Whether no character is left incomplete (a reply may end here without a U+FFFD). */
  public boolean atCharacterBoundary() {
    return pending.size() == 0;
  }

  /** Returns what is left (an incomplete sequence decodes to U+FFFD) and clears it. */
  public String flush() {
    String rest = new String(pending.toByteArray(), StandardCharsets.UTF_8);
    pending.reset();
    return rest;
  }

  /** Length of the longest prefix of {@code b} that ends on a UTF-8 sequence boundary. */
  static int completePrefix(byte[] b) {
    int n = b.length;
    int i = n - 1;
    int back = 0;
    while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
      i--;
      back++;
    }
    if (i < 0) {
      return n;
    }
    int lead = b[i] & 0xff;
    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - i >= need ? n : i;
  }
}

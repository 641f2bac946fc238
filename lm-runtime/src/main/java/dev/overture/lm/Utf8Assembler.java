package dev.overture.lm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles text from token bytes that may split a UTF-8 character across tokens: {@link
 * #append} returns only whole characters and keeps the incomplete tail for the next call.
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

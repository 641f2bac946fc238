package dev.overture.lm.tokenizer;

/**
 * GPT-2's reversible mapping of the 256 byte values onto printable characters ({@code
 * bytes_to_unicode} in OpenAI's encoder.py): printable Latin-1 bytes map to themselves, the other
 * 68 to U+0100 upwards in byte order. Byte-level BPE vocabularies spell every token in these
 * characters, so a space is {@code Ġ} (U+0120) and a newline {@code Ċ} (U+010A).
 */
final class ByteLevelAlphabet {
  private static final char[] CHAR_OF_BYTE = new char[256];
  private static final int[] BYTE_OF_CHAR = new int[256 + 68];

  static {
    java.util.Arrays.fill(BYTE_OF_CHAR, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) next++;
      CHAR_OF_BYTE[b] = c;
      BYTE_OF_CHAR[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  /** The character that stands for byte {@code b} (0..255). */
  static char charOf(int b) {
    return CHAR_OF_BYTE[b & 0xFF];
  }

  /** The byte character {@code c} stands for, or -1 if {@code c} is not in the alphabet. */
  static int byteOf(char c) {
    return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
  }
}

package dev.overture.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 sizes and strict decoding. */
public final class Utf8 {

  private Utf8() {}

  /** Whether {@code text} encodes to more than {@code maxBytes} bytes of UTF-8; stops early. */
  public static boolean exceeds(CharSequence text, int maxBytes) {
    if (text.length() > maxBytes) {
      return true;
    }
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        bytes += 2; // a surrogate pair is 4 bytes, 2 per half
      } else {
        bytes += 3;
      }
      if (bytes > maxBytes) {
        return true;
      }
    }
    return false;
  }

  /** Decodes {@code bytes}, or returns null if they are not well-formed UTF-8. */
  public static String decodeStrict(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Whether {@code text} is well-formed UTF-16: every surrogate is half of a pair. */
  public static boolean isWellFormed(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The number of Unicode code points in well-formed {@code text}. */
  public static int codePoints(CharSequence text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isLowSurrogate(text.charAt(i))) {
        count++;
      }
    }
    return count;
  }

  /** {@code text} cut to at most {@code maxCodePoints} code points, never inside a surrogate pair. */
  public static String truncate(String text, int maxCodePoints) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isLowSurrogate(text.charAt(i)) && ++count > maxCodePoints) {
        return text.substring(0, i);
      }
    }
    return text;
  }
}

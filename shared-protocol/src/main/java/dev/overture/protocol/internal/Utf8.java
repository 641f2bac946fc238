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

  /** {@code text} with each lone surrogate and control character replaced by U+FFFD. */
  public static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      boolean bad = !pair && (Character.isSurrogate(c) || Character.isISOControl(c));
      if (bad && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(bad ? '\uFFFD' : c);
        if (pair) {
          out.append(text.charAt(i + 1));
        }
      }
      if (pair) {
        i++;
      }
    }
    return out == null ? text : out.toString();
  }

  /** Well-formed {@code text} cut to at most {@code maxBytes} bytes of UTF-8, at a code point boundary. */
  public static String truncateBytes(String text, int maxBytes) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int size = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : 3;
      if (bytes + size > maxBytes) {
        return text.substring(0, i);
      }
      bytes += size;
      if (size == 4) {
        i++; // the low half of the pair
      }
    }
    return text;
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

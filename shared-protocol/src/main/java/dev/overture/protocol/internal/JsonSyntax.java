package dev.overture.protocol.internal;

import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ProtocolException;
import java.util.HashSet;
import java.util.Set;

/**
 * Strict check that a frame is exactly one JSON object (RFC 8259) within the protocol's bounds,
 * done before any JSON library sees it so that every binding classifies bad syntax the same way.
 *
 * <p>Beyond RFC 8259 it requires: the top-level value is an object; nesting at most {@value
 * #MAX_DEPTH} deep; member names unique within their object (after unescaping) and at most
 * {@value #MAX_NAME_CHARS} characters; number tokens at most {@value #MAX_NUMBER_CHARS}
 * characters; no unpaired surrogate characters in the text itself (escaped ones are left to the
 * validator).
 */
public final class JsonSyntax {

  public static final int MAX_DEPTH = 32;
  public static final int MAX_NAME_CHARS = 256;
  public static final int MAX_NUMBER_CHARS = 64;

  private final String text;
  private int pos;

  private JsonSyntax(String text) {
    this.text = text;
  }

  /** Throws a fatal {@code malformed_json} failure unless {@code text} is one bounded JSON object. */
  public static void checkObject(String text) throws ProtocolException {
    JsonSyntax syntax = new JsonSyntax(text);
    syntax.skipWhitespace();
    if (syntax.peek() != '{') {
      throw syntax.fail("expected a JSON object");
    }
    syntax.object(1);
    syntax.skipWhitespace();
    if (syntax.pos != text.length()) {
      throw syntax.fail("unexpected text after the object");
    }
  }

  private void value(int depth) throws ProtocolException {
    char c = peek();
    if (c == '{') {
      object(depth + 1);
    } else if (c == '[') {
      array(depth + 1);
    } else if (c == '"') {
      string(null);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      number();
    } else if (c == 't') {
      literal("true");
    } else if (c == 'f') {
      literal("false");
    } else if (c == 'n') {
      literal("null");
    } else {
      throw fail("expected a value");
    }
  }

  /** Reads one element of an object or array. */
  private interface Element {
    void read() throws ProtocolException;
  }

  private void object(int depth) throws ProtocolException {
    Set<String> names = new HashSet<>();
    elements(depth, '}', () -> member(depth, names));
  }

  private void member(int depth, Set<String> names) throws ProtocolException {
    if (peek() != '"') {
      throw fail("expected a member name");
    }
    int start = pos;
    StringBuilder name = new StringBuilder();
    string(name);
    if (name.length() > MAX_NAME_CHARS) {
      pos = start;
      throw fail("member name longer than " + MAX_NAME_CHARS + " characters");
    }
    if (!names.add(name.toString())) {
      pos = start;
      throw fail("duplicate member name");
    }
    skipWhitespace();
    expect(':');
    skipWhitespace();
    value(depth);
  }

  private void array(int depth) throws ProtocolException {
    elements(depth, ']', () -> value(depth));
  }

  /** Reads the comma-separated elements of the object or array at the cursor, up to {@code close}. */
  private void elements(int depth, char close, Element element) throws ProtocolException {
    if (depth > MAX_DEPTH) {
      throw fail("nesting deeper than " + MAX_DEPTH);
    }
    pos++; // the opening bracket
    skipWhitespace();
    if (peek() == close) {
      pos++;
      return;
    }
    while (true) {
      element.read();
      skipWhitespace();
      if (peek() == ',') {
        pos++;
        skipWhitespace();
      } else {
        expect(close);
        return;
      }
    }
  }

  /** Reads a string token; appends its unescaped value to {@code out} when not null. */
  private void string(StringBuilder out) throws ProtocolException {
    pos++; // opening quote
    while (true) {
      if (pos >= text.length()) {
        throw fail("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return;
      }
      if (c < 0x20) {
        throw fail("control character in string");
      }
      if (c == '\\') {
        escape(out);
        continue;
      }
      if (Character.isHighSurrogate(c)) {
        if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) {
          throw fail("unpaired surrogate");
        }
        if (out != null) {
          out.append(c).append(text.charAt(pos + 1));
        }
        pos += 2;
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        throw fail("unpaired surrogate");
      }
      if (out != null) {
        out.append(c);
      }
      pos++;
    }
  }

  private void escape(StringBuilder out) throws ProtocolException {
    if (pos + 1 >= text.length()) {
      throw fail("unterminated escape");
    }
    char e = text.charAt(pos + 1);
    char unescaped;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        unescaped = e;
        break;
      case 'b':
        unescaped = '\b';
        break;
      case 'f':
        unescaped = '\f';
        break;
      case 'n':
        unescaped = '\n';
        break;
      case 'r':
        unescaped = '\r';
        break;
      case 't':
        unescaped = '\t';
        break;
      case 'u':
        unescaped = hexEscape();
        break;
      default:
        pos++;
        throw fail("invalid escape");
    }
    if (out != null) {
      out.append(unescaped);
    }
    pos += e == 'u' ? 6 : 2;
  }

  private char hexEscape() throws ProtocolException {
    if (pos + 6 > text.length()) {
      throw fail("truncated \\u escape");
    }
    int value = 0;
    for (int i = pos + 2; i < pos + 6; i++) {
      int digit = Character.digit(text.charAt(i), 16);
      if (digit < 0 || text.charAt(i) > 'f') { // Character.digit also takes non-ASCII digits
        throw fail("invalid \\u escape");
      }
      value = value * 16 + digit;
    }
    return (char) value;
  }

  private void number() throws ProtocolException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw fail("invalid number");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw fail("invalid number");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw fail("invalid number");
      }
      digits();
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      pos = start;
      throw fail("number longer than " + MAX_NUMBER_CHARS + " characters");
    }
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) throws ProtocolException {
    if (!text.startsWith(word, pos)) {
      throw fail("invalid literal");
    }
    pos += word.length();
  }

  private void expect(char c) throws ProtocolException {
    if (peek() != c) {
      throw fail("expected '" + c + "'");
    }
    pos++;
  }

  /** The character at the cursor, or NUL at the end (NUL is never valid where it is checked). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private ProtocolException fail(String reason) {
    String where = pos >= text.length() ? "end of frame" : "offset " + pos;
    return new ProtocolException(
        ErrorCode.MALFORMED_JSON, "malformed JSON at " + where + ": " + reason, true, null, -1);
  }
}

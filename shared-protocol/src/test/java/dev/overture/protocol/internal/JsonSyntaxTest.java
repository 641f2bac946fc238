package dev.overture.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class JsonSyntaxTest {

  private static ProtocolException rejected(String text) {
    return assertThrows(ProtocolException.class, () -> JsonSyntax.checkObject(text));
  }

  private static String nested(int depth) {
    StringBuilder text = new StringBuilder("{\"a\":");
    for (int i = 1; i < depth; i++) {
      text.append('[');
    }
    text.append('1');
    for (int i = 1; i < depth; i++) {
      text.append(']');
    }
    return text.append('}').toString();
  }

  @Test
  void acceptsEveryJsonValueKindInsideAnObject() {
    assertDoesNotThrow(
        () ->
            JsonSyntax.checkObject(
                " {\"s\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9😀\",\"n\":-0.5e+3,\"z\":0,"
                    + "\"t\":true,\"f\":false,\"x\":null,\"a\":[1,{},[]],\"o\":{\"p\":[]}}\r\n"));
  }

  @Test
  void failuresAreFatalMalformedJsonWithAnOffset() {
    ProtocolException e = rejected("{\"a\":}");
    assertEquals(ErrorCode.MALFORMED_JSON, e.code());
    assertTrue(e.fatal());
    assertTrue(e.getMessage().contains("offset 5"), e.getMessage());
  }

  @Test
  void rejectsANonObjectTopLevelValue() {
    rejected("[]");
    rejected("\"ping\"");
    rejected("1");
    rejected("");
  }

  @Test
  void rejectsTextAfterTheObject() {
    rejected("{}{}");
    rejected("{} x");
  }

  @Test
  void rejectsUnterminatedInput() {
    rejected("{");
    rejected("{\"a\":\"b");
    rejected("{\"a\":[1,2");
    rejected("{\"a\":\"\\u00");
  }

  @Test
  void rejectsTrailingCommas() {
    rejected("{\"a\":1,}");
    rejected("{\"a\":[1,]}");
  }

  @Test
  void rejectsNonJsonLiteralsAndQuotes() {
    rejected("{'a':1}");
    rejected("{\"a\":NaN}");
    rejected("{\"a\":tru}");
    rejected("{a:1}");
  }

  @Test
  void rejectsInvalidNumbers() {
    rejected("{\"a\":01}");
    rejected("{\"a\":1.}");
    rejected("{\"a\":.5}");
    rejected("{\"a\":1e}");
    rejected("{\"a\":+1}");
    rejected("{\"a\":-}");
  }

  @Test
  void rejectsNumbersLongerThanTheLimit() {
    String digits = "1".repeat(JsonSyntax.MAX_NUMBER_CHARS);
    assertDoesNotThrow(() -> JsonSyntax.checkObject("{\"a\":" + digits + "}"));
    rejected("{\"a\":" + digits + "1}");
  }

  @Test
  void rejectsRawControlCharactersInStrings() {
    rejected("{\"a\":\"x\ty\"}");
    rejected("{\"a\":\"x\u0000y\"}");
  }

  @Test
  void rejectsInvalidEscapes() {
    rejected("{\"a\":\"\\x\"}");
    rejected("{\"a\":\"\\u12g4\"}");
    rejected("{\"a\":\"\\u\uff11234\"}");
  }

  @Test
  void rejectsUnpairedSurrogateCharacters() {
    rejected("{\"a\":\"\ud800\"}");
    rejected("{\"a\":\"\udc00x\"}");
  }

  @Test
  void leavesEscapedUnpairedSurrogatesToTheValidator() {
    assertDoesNotThrow(() -> JsonSyntax.checkObject("{\"a\":\"\\ud800\"}"));
  }

  @Test
  void rejectsDuplicateMemberNames() {
    rejected("{\"a\":1,\"a\":2}");
  }

  @Test
  void comparesMemberNamesAfterUnescaping() {
    rejected("{\"a\":1,\"\\u0061\":2}");
  }

  @Test
  void allowsTheSameNameInDifferentObjects() {
    assertDoesNotThrow(() -> JsonSyntax.checkObject("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}"));
  }

  @Test
  void rejectsMemberNamesLongerThanTheLimit() {
    String name = "k".repeat(JsonSyntax.MAX_NAME_CHARS);
    assertDoesNotThrow(() -> JsonSyntax.checkObject("{\"" + name + "\":1}"));
    rejected("{\"" + name + "k\":1}");
  }

  @Test
  void rejectsNestingDeeperThanTheLimit() {
    assertDoesNotThrow(() -> JsonSyntax.checkObject(nested(JsonSyntax.MAX_DEPTH)));
    rejected(nested(JsonSyntax.MAX_DEPTH + 1));
  }

  @Test
  void rejectsNonJsonWhitespace() {
    rejected("\ufeff{}");
    rejected("{\u00a0}");
  }
}

package dev.overture.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ServerEvent;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding failures explained by member and rule, from plain JSON values as a binding reads them. */
class BindingDiagnosisTest {

  /** A JSON object from name, value pairs, in order. */
  private static Map<String, Object> object(Object... members) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < members.length; i += 2) {
      map.put((String) members[i], members[i + 1]);
    }
    return map;
  }

  private static Map<String, Object> word(Object index) {
    return object("type", "opener.word", "event_id", "c-1", "seq", 3, "turn_id", "t1", "index", index, "text", "Hi");
  }

  private static String client(Object json) {
    return BindingDiagnosis.explain(json, ClientEvent.class, "event");
  }

  @Test
  void aMissingRequiredMemberIsNamedWithItsEvent() {
    assertEquals("opener.commit.event_id: missing", client(object("type", "opener.commit", "seq", 1)));
  }

  @Test
  void aNumberWhereTextBelongsMustBeAString() {
    Map<String, Object> input = object("type", "input.final", "event_id", "c-1", "seq", 2, "turn_id", "t1", "text", 5);
    assertEquals("input.final.text: must be a string", client(input));
  }

  @Test
  void aFractionIsNotAnInteger() {
    assertEquals("opener.word.index: must be an integer (no fraction or exponent)", client(word(1.5)));
  }

  @Test
  void textIsNotAnInteger() {
    assertEquals("opener.word.index: must be an integer", client(word("0")));
  }

  @Test
  void anIntegerBeyondItsRangeNamesTheBound() {
    assertEquals("opener.word.index: must be at most 2147483647", client(word(BigInteger.ONE.shiftLeft(40))));
  }

  @Test
  void anUnknownEnumValueListsTheAllowedOnes() {
    Map<String, Object> history =
        object("type", "context.history", "event_id", "c-1", "seq", 2, "turn_id", "t1",
            "items", Arrays.asList(object("role", "bot", "text", "Hi")));
    assertEquals("context.history.items[0].role: must be one of user, assistant", client(history));
  }

  @Test
  void anEnumReadByItsOwnCreatorTakesAnyString() {
    Map<String, Object> error =
        object("type", "error", "event_id", "s-1", "seq", 0, "code", "from_the_future", "message", "m", "fatal", false);
    assertNull(BindingDiagnosis.explain(error, ServerEvent.class, "event"));
  }

  @Test
  void aNullPrimitiveMustNotBeNull() {
    assertEquals("opener.word.index: must not be null", client(word(null)));
  }

  @Test
  void anEventWithoutTypeIsNamedAsAnEvent() {
    assertEquals("event.type: missing", client(object("event_id", "c-1", "seq", 1)));
  }

  @Test
  void anUnknownTypeIsCheckedAsAnEnvelope() {
    assertEquals("future.event.seq: must be an integer", client(object("type", "future.event", "event_id", "c-1", "seq", "1")));
  }

  @Test
  void aContinueRequestIsNamedByItsSubject() {
    Map<String, Object> request =
        object("protocol_version", 1, "turn_id", "t1", "history", Collections.emptyList(), "user_text", "Hi",
            "opener_words", Collections.emptyList(), "options", object("max_output_tokens", "many"));
    assertEquals("continue_request.options.max_output_tokens: must be an integer",
        BindingDiagnosis.explain(request, ContinueRequest.class, "continue_request"));
  }

  @Test
  void anArrayElementOfTheWrongTypeIsNamedByIndex() {
    List<Object> words = Arrays.asList("Sure,", 7);
    Map<String, Object> request =
        object("protocol_version", 1, "turn_id", "t1", "history", Collections.emptyList(), "user_text", "Hi",
            "opener_words", words);
    assertEquals("continue_request.opener_words[1]: must be a string",
        BindingDiagnosis.explain(request, ContinueRequest.class, "continue_request"));
  }

  @Test
  void aWellTypedObjectHasNothingToExplain() {
    assertNull(client(word(0)));
  }
}

package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinueRequestTest {

  @Test
  void openerTextConcatenatesTheWords() {
    assertEquals("Sure, I love", Events.continueRequest("Sure,", " I", " love").openerText());
  }

  @Test
  void listsAreCopiedAndUnmodifiable() {
    List<String> words = new ArrayList<>();
    words.add("Sure,");
    ContinueRequest request =
        new ContinueRequest(1, "t1", new ArrayList<>(), "Hi", words, null, null);
    words.add(" I");
    assertEquals(1, request.openerWords().size());
    assertThrows(UnsupportedOperationException.class, () -> request.openerWords().add(" x"));
  }
}

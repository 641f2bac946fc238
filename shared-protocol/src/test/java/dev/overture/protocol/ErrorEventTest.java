package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorEventTest {

  @Test
  void ofReportsTheFailureAsAConnectionEvent() {
    ProtocolException failure =
        ProtocolException.fatalAbout(Events.turnStart(3, "t1"), ErrorCode.SEQUENCE_MISMATCH, "gap");
    assertEquals(
        new ErrorEvent("s-e1", 0, ErrorCode.SEQUENCE_MISMATCH, "gap", true, "c-3"),
        ErrorEvent.of("s-e1", failure));
  }

  @Test
  void ofCutsLongMessagesToTheLimit() {
    String message = "m".repeat(ErrorEvent.MAX_MESSAGE_CHARS + 10);
    ProtocolException failure = new ProtocolException(ErrorCode.INTERNAL, message, false, null, -1);
    assertEquals(ErrorEvent.MAX_MESSAGE_CHARS, ErrorEvent.of("s-e1", failure).message().length());
  }
}

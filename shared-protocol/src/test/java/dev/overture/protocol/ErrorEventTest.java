package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void ofMakesAMessageQuotingThePeerSendable() {
    // A peer's text in a message: a lone surrogate and a control character, which no encoder may
    // send, and quotes (escaped twice over) with three-byte characters: 1,024 characters of them
    // are over 1,800 bytes, so only the byte cut keeps the message within the smallest frame.
    String message = "unknown type x\ud800\u0001 " + "\"\u20ac".repeat(1500);
    ProtocolException failure = new ProtocolException(ErrorCode.INVALID_EVENT, message, true, null, -1);

    String sent = ErrorEvent.of("s-e1", failure).message();

    assertTrue(sent.startsWith("unknown type x\ufffd\ufffd "), sent.substring(0, 20));
    assertTrue(dev.overture.protocol.internal.Utf8.isWellFormed(sent));
    assertTrue(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= ErrorEvent.MAX_MESSAGE_BYTES);
  }

  @Test
  void ofKeepsCharactersOutsideTheBasicPlane() {
    ProtocolException failure = new ProtocolException(ErrorCode.INVALID_EVENT, "emoji \ud83c\udfbb ok", true, null, -1);
    assertEquals("emoji \ud83c\udfbb ok", ErrorEvent.of("s-e1", failure).message());
  }
}

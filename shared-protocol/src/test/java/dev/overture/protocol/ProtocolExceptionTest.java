package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProtocolExceptionTest {

  @Test
  void aboutNamesTheEventAndItsSeq() {
    ProtocolException e =
        ProtocolException.about(Events.turnStart(4, "t1"), ErrorCode.OUT_OF_ORDER, "late");
    assertEquals(ErrorCode.OUT_OF_ORDER, e.code());
    assertFalse(e.fatal());
    assertEquals("c-4", e.inReplyTo());
    assertEquals(OptionalLong.of(4), e.rejectedSeq());
    assertEquals("late", e.getMessage());
  }

  @Test
  void fatalAboutIsFatal() {
    assertTrue(
        ProtocolException.fatalAbout(Events.turnStart(4, "t1"), ErrorCode.OUT_OF_ORDER, "x").fatal());
  }

  @Test
  void negativeRejectedSeqMeansUnreadable() {
    ProtocolException e = new ProtocolException(ErrorCode.MALFORMED_JSON, "x", true, null, -1);
    assertEquals(OptionalLong.empty(), e.rejectedSeq());
  }

  @Test
  void asFatalKeepsCodeMessageAndEvent() {
    ProtocolException e =
        ProtocolException.about(Events.turnStart(4, "t1"), ErrorCode.OUT_OF_ORDER, "late");
    ProtocolException fatal = e.asFatal();
    assertTrue(fatal.fatal());
    assertEquals(e.code(), fatal.code());
    assertEquals(e.getMessage(), fatal.getMessage());
    assertEquals(e.inReplyTo(), fatal.inReplyTo());
    assertSame(fatal, fatal.asFatal());
  }
}

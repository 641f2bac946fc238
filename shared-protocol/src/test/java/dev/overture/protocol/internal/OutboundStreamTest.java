package dev.overture.protocol.internal;

import static dev.overture.protocol.Events.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.TurnStart;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class OutboundStreamTest {

  private final OutboundStream<ClientEvent> stream = new OutboundStream<>(3);

  private void sent(long... seqs) throws ProtocolException {
    for (long seq : seqs) {
      assertFalse(stream.isResend(turnStart(seq, "t" + seq)));
      stream.append(turnStart(seq, "t" + seq));
    }
  }

  @Test
  void numberingStartsAtOne() {
    assertEquals(1, stream.nextSeq());
  }

  @Test
  void eachNewEventTakesTheNextSeq() throws Exception {
    sent(1, 2);
    assertEquals(3, stream.nextSeq());
    assertEquals(2, stream.lastSent());
  }

  @Test
  void skippingASeqIsAFatalMismatch() throws Exception {
    sent(1);
    ProtocolException e =
        assertThrows(ProtocolException.class, () -> stream.isResend(turnStart(3, "t3")));
    assertEquals(ErrorCode.SEQUENCE_MISMATCH, e.code());
    assertTrue(e.fatal());
  }

  @Test
  void replayResendsEverythingAfterWhatThePeerConsumed() throws Exception {
    sent(1, 2, 3);
    stream.beginReplay(1);
    assertEquals(Arrays.asList(turnStart(2, "t2"), turnStart(3, "t3")), stream.pending());
    assertEquals(2, stream.nextSeq());
  }

  @Test
  void resendMustRepeatTheOriginalEvent() throws Exception {
    sent(1, 2);
    stream.beginReplay(1);
    assertThrows(ProtocolException.class, () -> stream.isResend(new TurnStart("other", 2, "t2")));
    assertTrue(stream.isResend(turnStart(2, "t2")));
  }

  @Test
  void newEventsWaitUntilTheReplayIsDone() throws Exception {
    sent(1, 2);
    stream.beginReplay(0);
    assertThrows(ProtocolException.class, () -> stream.isResend(turnStart(3, "t3")));
    stream.resent();
    stream.resent();
    assertEquals(3, stream.nextSeq());
    assertEquals(Collections.emptyList(), stream.pending());
  }

  @Test
  void nothingToReplayWhenThePeerConsumedEverything() throws Exception {
    sent(1, 2);
    stream.beginReplay(2);
    assertEquals(Collections.emptyList(), stream.pending());
    assertEquals(3, stream.nextSeq());
  }

  @Test
  void bufferKeepsOnlyTheMostRecentEvents() throws Exception {
    sent(1, 2, 3, 4);
    assertFalse(stream.canReplayAfter(0));
    assertTrue(stream.canReplayAfter(1));
    assertTrue(stream.canReplayAfter(4));
  }

  @Test
  void shrinkingTheCapacityDropsTheOldestEvents() throws Exception {
    sent(1, 2, 3);
    stream.capacity(1);
    assertFalse(stream.canReplayAfter(1));
    assertTrue(stream.canReplayAfter(2));
  }

  @Test
  void cancellingAReplayForgetsIt() throws Exception {
    sent(1, 2);
    stream.beginReplay(0);
    stream.cancelReplay();
    assertEquals(3, stream.nextSeq());
  }
}

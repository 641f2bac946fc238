package dev.overture.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.Event;
import dev.overture.protocol.Events;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.session.SessionPhase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneShotTest {

  private static List<String> types(List<Event> events) {
    List<String> types = new ArrayList<>();
    for (Event event : events) {
      types.add(EventTypes.typeOf(event));
    }
    return types;
  }

  @Test
  void requestStandsForAStartedSessionWithACommittedTurn() {
    List<Event> events =
        OneShot.impliedEvents(Events.continueRequest("Sure,", " I"), ProtocolLimits.defaults());
    assertEquals(
        List.of(
            "session.start",
            "session.started",
            "turn.start",
            "context.history",
            "input.final",
            "opener.word",
            "opener.word",
            "opener.commit"),
        types(events));
    assertEquals("Sure, I", ((OpenerCommit) events.get(events.size() - 1)).text());
  }

  @Test
  void requestWithoutHistoryImpliesNoHistoryEvent() {
    ContinueRequest request =
        new ContinueRequest(
            1, "t1", Collections.emptyList(), "Hi", Collections.emptyList(), null, null);
    assertEquals(
        List.of("session.start", "session.started", "turn.start", "input.final", "opener.commit"),
        types(OneShot.impliedEvents(request, ProtocolLimits.defaults())));
  }

  @Test
  void impliedEventsPassTheRules() throws Exception {
    Conversation conversation = new Conversation(ProtocolLimits.defaults());
    for (Event event :
        OneShot.impliedEvents(Events.continueRequest("Sure,"), ProtocolLimits.defaults())) {
      EventValidator.validate(event, ProtocolLimits.defaults());
      conversation.apply(event);
    }
    assertEquals(SessionPhase.ESTABLISHED, conversation.phase());
    assertEquals("t1", conversation.currentTurnId());
  }
}

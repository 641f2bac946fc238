package dev.overture.protocol.internal;

import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.ContextHistory;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.Event;
import dev.overture.protocol.InputFinal;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.TurnStart;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The session events a one-shot {@code POST /v1/continue} request stands for. */
public final class OneShot {

  private static final ClientInfo UNNAMED = new ClientInfo("one-shot", "0", null, null);

  private OneShot() {}

  /**
   * {@code session.start}, {@code session.started}, {@code turn.start}, {@code context.history}
   * (when there is history), {@code input.final}, the opener words and their commit.
   */
  public static List<Event> impliedEvents(ContinueRequest request, ProtocolLimits limits) {
    String turn = request.turnId();
    List<Event> events = new ArrayList<>();
    ClientInfo client = request.client() == null ? UNNAMED : request.client();
    events.add(
        new SessionStart(
            "implied.start", 1, Collections.singletonList(request.protocolVersion()), client));
    events.add(
        new SessionStarted(
            "implied.started", 1, request.protocolVersion(), "one-shot", "one-shot", limits));
    events.add(new TurnStart("implied.turn", 2, turn));
    if (!request.history().isEmpty()) {
      events.add(new ContextHistory("implied.history", 3, turn, request.history()));
    }
    events.add(new InputFinal("implied.final", 4, turn, request.userText()));
    List<String> words = request.openerWords();
    for (int i = 0; i < words.size(); i++) {
      events.add(new OpenerWord("implied.word." + i, 5 + i, turn, i, words.get(i)));
    }
    events.add(
        new OpenerCommit(
            "implied.commit", 5 + words.size(), turn, words.size(), request.openerText()));
    return events;
  }
}

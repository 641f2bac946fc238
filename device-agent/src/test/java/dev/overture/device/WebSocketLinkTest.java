package dev.overture.device;

import static dev.overture.device.Agents.QUESTION;
import static dev.overture.device.Agents.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.InputFinal;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.Ping;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.Role;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson2.Jackson2Binding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's WebSocket session against a faulty cloud: dropped connections and resume, refused
 * resumes, malformed, unknown and invalid frames, cloud errors, go-away and keep-alive.
 */
final class WebSocketLinkTest {

  private static final String CONTINUATION = " is a string instrument.";
  private static final StubCloud.Script ANSWER = turn -> turn.answer(CONTINUATION);

  @RegisterExtension @Order(1) final StubCloud cloud = new StubCloud();
  @RegisterExtension @Order(2) final Agents agents = new Agents(); // closes its agents first
  private final RecordingListener listener = new RecordingListener();

  @Test
  void droppedConnectionIsResumedAndTheLostEventsReplayed() throws Exception {
    cloud.onTurn(turn -> {
      turn.accept();
      turn.delta(" is a");
      cloud.blackhole();
      turn.delta(" string"); // never reaches the device on this connection
      cloud.dropConnection();
      turn.delta(" instrument."); // sent once the session is resumed
      turn.done();
    });
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals("device cloud done(COMPLETED)", listener.trace());
    assertEquals(cloud.turns().get(0).awaitCommit().text() + CONTINUATION, result.reply());
    assertEquals(1, cloud.received(SessionResume.class).size());
    assertEquals(1, cloud.sessionCount());
    assertTrue(cloud.replayed() >= 1, "the lost delta was replayed");
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void aSessionIsResumedAfterReconnectionsThatFailedBeforeTheirSocketOpened() throws Exception {
    cloud.onTurn(turn -> {
      turn.accept();
      turn.delta(" is a");
      cloud.refuseWebSockets(503); // a deploy, or no network: the upgrade fails
      cloud.dropConnection();
      cloud.awaitHandoffRequests(3); // the first connection, then two refused reconnections
      cloud.refuseWebSockets(0);
      turn.delta(" string instrument."); // sent once the session is resumed
      turn.done();
    });
    Conversation conversation = agents.connect(Agents.patient(), cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals("device cloud done(COMPLETED)", listener.trace());
    assertEquals(cloud.turns().get(0).awaitCommit().text() + CONTINUATION, result.reply());
    assertEquals(1, cloud.received(SessionResume.class).size());
    assertEquals(1, cloud.sessionCount());
    assertEquals(List.of(), listener.errors());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void aSessionWhoseResumeWindowPassedWhileReconnectingIsStartedAfresh() throws Exception {
    ProtocolLimits d = ProtocolLimits.defaults();
    cloud.announce(new ProtocolLimits(d.maxFrameBytes(), d.maxContextChars(), d.maxHistoryItems(), d.maxOpenerWords(),
        d.maxWordChars(), d.maxEventsPerSecond(), d.pingIntervalMs(), d.idleTimeoutMs(), d.rewindAckTimeoutMs(),
        200, d.replayBufferEvents()));
    Conversation conversation = agents.connect(Agents.patient(), cloud, listener);
    cloud.onTurn(ANSWER);
    assertEquals(TurnStatus.COMPLETED, ask(conversation, QUESTION).status());
    cloud.refuseWebSockets(503);
    cloud.dropConnection();
    cloud.awaitHandoffRequests(5); // refused reconnections 100, 200, 400 and 800 ms apart: past 200 ms

    cloud.refuseWebSockets(0);
    cloud.awaitSessions(2);

    assertEquals(List.of(), cloud.received(SessionResume.class));
  }

  @Test
  void aTurnTheProtocolRefusesToSendIsCancelledOnTheSocketAndTheNextTurnUsesItAgain() throws Exception {
    ProtocolLimits d = ProtocolLimits.defaults();
    cloud.announce(new ProtocolLimits(d.maxFrameBytes(), 120, d.maxHistoryItems(), d.maxOpenerWords(),
        d.maxWordChars(), d.maxEventsPerSecond(), d.pingIntervalMs(), d.idleTimeoutMs(), d.rewindAckTimeoutMs(),
        d.resumeWindowMs(), d.replayBufferEvents()));
    AtomicInteger socketTurns = new AtomicInteger();
    cloud.onTurn(turn -> {
      if (turn.oneShot() || socketTurns.incrementAndGet() > 1) { // the refused first turn gets no commit
        ANSWER.play(turn);
      }
    });
    // The app's history goes out with the first turn (cut to half the limit: its last item, 45
    // characters); with it, this 79-character question breaks the limit the question alone keeps.
    List<HistoryItem> history = List.of(
        new HistoryItem(Role.USER, "Hi, I have a few questions about music today."),
        new HistoryItem(Role.ASSISTANT, "Sure, ask away: what would you like to know?"));
    Conversation conversation = agents.build(Agents.patient().cloud(cloud.url(), null)).newConversation(listener, history);
    String longQuestion = "Could you tell me, in a few words, what kind of musical instrument a violin is?";
    assertEquals(79, longQuestion.length());

    TurnResult first = Agents.await(conversation.finalTranscript(longQuestion));
    TurnResult second = ask(conversation, QUESTION);

    assertEquals("http", first.metrics().transport());
    assertEquals(1, cloud.received(TurnCancel.class).size(), "the refused turn is cancelled on the socket");
    assertEquals(TurnStatus.COMPLETED, second.status());
    assertEquals("websocket", second.metrics().transport());
  }

  @Test
  void eventsLostOnTheWayToTheCloudAreResentAfterTheResume() throws Exception {
    cloud.dropAfter(event -> event instanceof InputFinal);
    cloud.onTurn(ANSWER);
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.COMPLETED, result.status());
    assertEquals(1, cloud.received(SessionResume.class).size());
    List<Integer> indices = new ArrayList<>();
    for (OpenerWord word : cloud.received(OpenerWord.class)) {
      indices.add(word.index());
    }
    List<Integer> once = new ArrayList<>();
    for (int i = 0; i < result.metrics().openerWords(); i++) {
      once.add(i);
    }
    assertEquals(once, indices, "each opener word reached the cloud once");
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void refusedResumeMovesTheTurnToTheOneShotBindingAndStartsANewSession() throws Exception {
    cloud.forgetSessions();
    cloud.onTurn(turn -> {
      turn.awaitCommit();
      cloud.dropConnection();
    }, ANSWER);
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult lost = ask(conversation, QUESTION);
    cloud.awaitSessions(2);
    TurnResult next = ask(conversation, "And a cello?");

    // The cloud had said nothing of the turn yet: the one-shot binding carries it instead.
    assertEquals(TurnStatus.COMPLETED, lost.status());
    assertEquals("http", lost.metrics().transport());
    assertEquals(1, cloud.continueRequests().size());
    assertEquals(TurnStatus.COMPLETED, next.status());
    assertEquals("websocket", next.metrics().transport());
    assertEquals("device cloud done(COMPLETED) device cloud done(COMPLETED)", listener.trace());
    listener.assertSpliced(0, lost);
    listener.assertSpliced(1, next);
    // The new session learned the whole history with the turn's context.history.
    cloud.assertHistoriesAgree(conversation);
    assertEquals(List.of(AgentException.Kind.CLOUD_ERROR), listener.errorKinds(), "one failure, reported once: " + listener.errors());
    assertEquals("unknown_session", listener.errors().get(0).code());
  }

  @Test
  void malformedFrameEndsTheSessionAndTheDeviceFinishesTheTurn() throws Exception {
    cloud.onTurn(turn -> {
      turn.accept();
      turn.delta(" is a ");
      turn.sendUnnumbered("{\"type\":\"continuation.delta\",");
    }, ANSWER);
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals("device cloud device done(LOCAL)", listener.trace());
    assertEquals("malformed_json", result.error().code());
    listener.assertSpliced(0, result);
    cloud.awaitSessions(2);
    ask(conversation, "And a cello?");
    cloud.assertHistoriesAgree(conversation);
    assertEquals(List.of(AgentException.Kind.PROTOCOL), listener.errorKinds(), "one failure, reported once: " + listener.errors());
  }

  @Test
  void unknownEventTypesAreIgnored() throws Exception {
    assertTurnGoesOnAfter(turn -> turn.sendRaw(seq -> "{\"type\":\"continuation.sparkle\",\"event_id\":\"s-new\",\"seq\":" + seq + ",\"turn_id\":\"" + turn.id() + "\"}"));
  }

  @Test
  void invalidEventIsReportedAndTheTurnGoesOn() throws Exception {
    assertTurnGoesOnAfter(turn -> turn.sendRaw(seq -> "{\"type\":\"continuation.delta\",\"event_id\":\"s-bad\",\"seq\":" + seq + ",\"turn_id\":\"" + turn.id() + "\",\"text\":\"\"}"),
        "PROTOCOL invalid_event");
  }

  @Test
  void nonFatalCloudErrorIsReportedAndTheTurnGoesOn() throws Exception {
    String error = new EventCodec(new Jackson2Binding()).encode(new ErrorEvent("s-e1", 0, ErrorCode.RATE_LIMITED, "slow down", false, null));

    assertTurnGoesOnAfter(turn -> turn.sendUnnumbered(error), "CLOUD_ERROR rate_limited");
  }

  @Test
  void goAwayMovesTheSessionToANewConnectionAfterTheTurn() throws Exception {
    cloud.onTurn(answerAfter(turn -> cloud.goAway()), ANSWER);
    Conversation conversation = agents.connect(cloud, listener);

    ask(conversation, QUESTION);
    ask(conversation, "And a cello?");

    assertEquals("device cloud done(COMPLETED) device cloud done(COMPLETED)", listener.trace());
    assertEquals(2, cloud.connectionCount());
    assertEquals(1, cloud.sessionCount());
    assertEquals(1, cloud.received(SessionStart.class).size());
    assertEquals(1, cloud.received(SessionResume.class).size());
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void idleConnectionIsPingedAtTheAnnouncedInterval() throws Exception {
    ProtocolLimits defaults = ProtocolLimits.defaults();
    cloud.announce(new ProtocolLimits(defaults.maxFrameBytes(), defaults.maxContextChars(), defaults.maxHistoryItems(),
        defaults.maxOpenerWords(), defaults.maxWordChars(), defaults.maxEventsPerSecond(), 300, 900,
        defaults.rewindAckTimeoutMs(), defaults.resumeWindowMs(), defaults.replayBufferEvents()));
    agents.connect(cloud, listener);
    long start = System.nanoTime(); // after the model has loaded and warmed

    cloud.await(Ping.class);

    // The default interval is 15 s; pinging well before that shows the announced 300 ms counts.
    long millis = (System.nanoTime() - start) / 1_000_000L;
    assertTrue(millis < 10_000, "first ping after " + millis + " ms");
    assertEquals(List.of(), listener.errors());
  }

  @Test
  void aConnectionSilentAfterAPingIsGivenUpAndTheSessionResumed() throws Exception {
    ProtocolLimits d = ProtocolLimits.defaults();
    cloud.announce(new ProtocolLimits(d.maxFrameBytes(), d.maxContextChars(), d.maxHistoryItems(), d.maxOpenerWords(),
        d.maxWordChars(), d.maxEventsPerSecond(), 300, 900, d.rewindAckTimeoutMs(), d.resumeWindowMs(), d.replayBufferEvents()));
    agents.connect(cloud, listener);
    cloud.awaitSessions(1);

    cloud.blackhole(); // half-open: the device's pings arrive, no pong comes back

    cloud.await(SessionResume.class);
    assertEquals(1, cloud.sessionCount());
  }

  @Test
  void refusedUpgradeIsReported() throws Exception {
    cloud.refuseWebSockets(401);
    agents.build(Agents.patient().cloud(cloud.url(), "wrong-key")).newConversation(listener);

    cloud.awaitHandoffRequests(1);

    listener.awaitErrors(1);
    assertEquals(AgentException.Kind.CLOUD_UNAUTHORIZED, listener.errors().get(0).kind());
  }

  /** A cloud that accepts the opener, does {@code fault}, then continues and completes the turn. */
  private static StubCloud.Script answerAfter(StubCloud.Script fault) {
    return turn -> {
      turn.accept();
      fault.play(turn);
      turn.delta(CONTINUATION);
      turn.done();
    };
  }

  /**
   * A cloud does {@code fault} in the middle of a turn; the device reports {@code errors} (kind
   * and code each), completes the turn as the cloud answered it, and both sides hold the same
   * history.
   */
  private void assertTurnGoesOnAfter(StubCloud.Script fault, String... errors) throws Exception {
    cloud.onTurn(answerAfter(fault));
    Conversation conversation = agents.connect(cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    List<String> reported = new ArrayList<>();
    for (AgentException error : listener.errors()) {
      reported.add(error.kind() + " " + error.code());
    }
    assertEquals(List.of(errors), reported);
    assertEquals("device cloud done(COMPLETED)", listener.trace());
    assertEquals(cloud.turns().get(0).awaitCommit().text() + CONTINUATION, result.reply());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }
}

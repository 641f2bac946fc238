package dev.overture.device;

import static dev.overture.device.Agents.QUESTION;
import static dev.overture.device.Agents.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.HistoryItem;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Turns over the one-shot {@code POST /v1/continue}, which the agent takes while the WebSocket
 * cannot be opened: the request, the streamed answer, and a cloud that fails it.
 */
final class ContinueLinkTest {

  private static final StubCloud.Script ANSWER = turn -> turn.answer(" is a string instrument.");
  private static final StubCloud.Script CUT_OFF = turn -> {
    turn.accept();
    turn.delta(" is a ");
    // ...and the response ends.
  };

  @RegisterExtension @Order(1) final StubCloud cloud = new StubCloud();
  @RegisterExtension @Order(2) final Agents agents = new Agents(); // closes its agents first
  private final RecordingListener listener = new RecordingListener();

  @Test
  void turnGoesOverHttpWhileTheWebSocketIsRefused() throws Exception {
    cloud.onTurn(ANSWER);
    Conversation conversation = withoutWebSocket(Agents.patient());

    TurnResult result = ask(conversation, QUESTION);

    assertEquals("http", result.metrics().transport());
    assertEquals("device cloud done(COMPLETED)", listener.trace());
    ContinueRequest request = cloud.continueRequests().get(0);
    assertEquals(QUESTION, request.userText());
    assertEquals(List.of(), request.history());
    assertEquals(String.join("", request.openerWords()) + " is a string instrument.", result.reply());
    listener.assertSpliced(0, result);
  }

  @Test
  void eachRequestCarriesTheDeviceHistory() throws Exception {
    cloud.onTurn(ANSWER);
    Conversation conversation = withoutWebSocket(Agents.patient());

    ask(conversation, QUESTION);
    List<HistoryItem> history = conversation.history();
    ask(conversation, "And a cello?");

    assertEquals(history, cloud.continueRequests().get(1).history());
    assertEquals(4, conversation.history().size());
  }

  @Test
  void refusedRequestIsAnsweredOnTheDevice() throws Exception {
    cloud.refuseOneShots(401);

    TurnResult result = askWithoutWebSocket(Agents.patient());

    assertAnsweredOnTheDevice(result, AgentException.Kind.CLOUD_UNAUTHORIZED, "device done(LOCAL)");
  }

  @Test
  void replyEndingWithoutDoneIsAnsweredOnTheDevice() throws Exception {
    cloud.onTurn(CUT_OFF);

    TurnResult result = askWithoutWebSocket(Agents.patient());

    assertAnsweredOnTheDevice(result, AgentException.Kind.CLOUD_UNREACHABLE, "device cloud device done(LOCAL)");
  }

  @Test
  void replyEndingWithoutDoneEndsACloudOnlyTurn() throws Exception {
    cloud.onTurn(CUT_OFF);

    // Cloud-only mode has no deadline: only the end of the response can end the turn.
    TurnResult result = askWithoutWebSocket(Agents.patient().mode(AgentMode.CLOUD_ONLY));

    assertAnsweredOnTheDevice(result, AgentException.Kind.CLOUD_UNREACHABLE, "cloud device done(LOCAL)");
  }

  @Test
  void malformedLineIsAnsweredOnTheDevice() throws Exception {
    cloud.onTurn(turn -> {
      turn.accept();
      turn.sendUnnumbered("{\"type\":\"continuation.delta\",");
    });

    TurnResult result = askWithoutWebSocket(Agents.patient());

    assertAnsweredOnTheDevice(result, AgentException.Kind.PROTOCOL, "device done(LOCAL)");
  }

  @Test
  void webSocketTakesOverOnceItOpens() throws Exception {
    cloud.onTurn(ANSWER);
    Conversation conversation = withoutWebSocket(Agents.patient());
    TurnResult first = ask(conversation, QUESTION);

    cloud.refuseWebSockets(0);
    cloud.awaitConnected();
    TurnResult second = ask(conversation, "And a cello?");

    assertEquals("http", first.metrics().transport());
    assertEquals("websocket", second.metrics().transport());
    assertTrue(cloud.turns().get(1).context() != null, "the history went with the turn");
    cloud.assertHistoriesAgree(conversation);
  }

  /** A conversation on {@code builder}'s agent whose WebSocket the cloud refused. */
  private Conversation withoutWebSocket(OvertureAgent.Builder builder) throws Exception {
    cloud.refuseWebSockets(503);
    Conversation conversation = agents.build(builder.cloud(cloud.url(), null)).newConversation(listener);
    cloud.awaitHandoffRequests(1);
    return conversation;
  }

  /** The user asks {@link Agents#QUESTION} on a conversation whose WebSocket the cloud refused. */
  private TurnResult askWithoutWebSocket(OvertureAgent.Builder builder) throws Exception {
    return ask(withoutWebSocket(builder), QUESTION);
  }

  /** The device answered alone, with {@code trace} as the callbacks, after the cloud failed for {@code why}. */
  private void assertAnsweredOnTheDevice(TurnResult result, AgentException.Kind why, String trace) {
    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals(why, result.error().kind());
    assertEquals(trace, listener.trace());
    listener.assertSpliced(0, result);
  }
}

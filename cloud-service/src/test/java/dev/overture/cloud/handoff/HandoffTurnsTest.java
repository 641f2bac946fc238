package dev.overture.cloud.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.admission.AdmissionControl;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.PuppetEngine;
import dev.overture.cloud.testing.WsClient;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Turns over the WebSocket: verdicts, continuation, cancel, failures, overload, history. */
@HandoffServiceTest
class HandoffTurnsTest {

  private static final List<String> OPENER = List.of("The", " capital", " is", " Sydney.");
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** Tries at refusing one chosen event for the rate; see {@link #refusedForTheRate}. */
  private static final int REFUSAL_ATTEMPTS = 5;

  @LocalServerPort int port;
  @Autowired PuppetEngine puppet;
  @Autowired AdmissionControl admission;

  private final List<WsClient> clients = new ArrayList<>();

  @BeforeEach
  void reset() {
    puppet.reset();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  @Test
  void anOpenerWithoutBadWordsIsAcceptedAndContinuedAfterItsLastWord() throws Exception {
    PuppetEngine.Reply reply = puppet.expectReply();
    puppet.expectScore().complete(-1f, -2f, -1f, -3f);
    WsClient client = committedOpener().client();
    assertThat(client.nextEvent()).containsEntry("type", "opener.accept").containsEntry("word_count", 4);
    assertThat(reply.request(WAIT).assistantPrefix()).isEqualTo("The capital is Sydney.");
    reply.emit(" Or so I thought.").complete();
    assertThat(client.nextEvent()).containsEntry("type", "continuation.delta").containsEntry("text", " Or so I thought.");
    assertThat(client.nextEvent()).containsEntry("type", "continuation.done").containsEntry("status", "completed");
  }

  @Test
  void aReplyALengthLimitCutShortEndsTruncated() throws Exception {
    PuppetEngine.Reply reply = puppet.expectReply();
    puppet.expectScore().complete(-1f, -2f, -1f, -3f);
    WsClient client = committedOpener().client();
    assertThat(client.nextEvent()).containsEntry("type", "opener.accept");
    reply.emit(" Or so").completeCutShort();
    assertThat(client.nextEvent()).containsEntry("type", "continuation.delta").containsEntry("text", " Or so");
    assertThat(client.nextEvent()).containsEntry("type", "continuation.done").containsEntry("status", "truncated");
  }

  @Test
  void aBadWordNotYetSpokenIsRewoundAndTheContinuationFollowsTheKeptWords() throws Exception {
    PuppetEngine.Reply reply = puppet.expectReply();
    puppet.expectScore().complete(-1f, -2f, -1f, -30f);
    Open open = committedOpener();
    WsClient client = open.client();
    Device device = open.device();
    assertThat(client.nextEvent()).containsEntry("type", "opener.rewind").containsEntry("keep_words", 3);
    client.send(device.ack("t1", 3));
    assertThat(reply.request(WAIT).assistantPrefix()).isEqualTo("The capital is");
    reply.emit(" Canberra.").complete();
    assertThat(client.nextEvent()).containsEntry("type", "continuation.delta").containsEntry("text", " Canberra.");
    assertThat(client.nextEvent()).containsEntry("type", "continuation.done").containsEntry("status", "completed");
  }

  @Test
  void aBadWordAlreadySpokenIsRepairedWithTheBridgeFirst() throws Exception {
    PuppetEngine.Reply reply = puppet.expectReply();
    PuppetEngine.Score score = puppet.expectScore();
    Open open = committedOpener();
    WsClient client = open.client();
    Device device = open.device();
    client.send(device.progress("t1", 4));
    device.sync(client);
    score.complete(-1f, -2f, -1f, -30f);
    assertThat(client.nextEvent()).containsEntry("type", "opener.repair").containsEntry("after_words", 4);
    assertThat(client.nextEvent()).containsEntry("type", "continuation.delta").containsEntry("text", HandoffServiceTest.BRIDGE);
    assertThat(reply.request(WAIT).assistantPrefix()).isEqualTo("The capital is Sydney." + HandoffServiceTest.BRIDGE);
  }

  @Test
  void anOpenerTheEngineCannotScoreIsAccepted() {
    puppet.expectScore().unscored();
    WsClient client = committedOpener().client();
    assertThat(client.nextEvent()).containsEntry("type", "opener.accept").containsEntry("word_count", 4);
  }

  @Test
  void theContextIsStreamedToTheEngineAsTheUserSpeaks() throws Exception {
    WsClient client = connect();
    Device device = new Device();
    device.open(client);
    client.send(device.turnStart("t1"));
    client.send(device.partial("t1", 1, "Do you"));
    device.sync(client);
    assertThat(puppet.lastContext().userText()).isEqualTo("Do you");
    client.send(device.partial("t1", 2, "Do you like"));
    client.send(device.inputFinal("t1", "Do you like music?"));
    device.sync(client);
    assertThat(puppet.lastContext().userText()).isEqualTo("Do you like music?");
  }

  @Test
  void cancellingMidStreamStopsTheEngineAndEndsTheTurnCancelled() throws Exception {
    Generating turn = generating();
    turn.client().send(turn.device().cancel("t1"));
    assertThat(turn.client().nextEvent()).containsEntry("type", "continuation.done").containsEntry("status", "cancelled");
    assertThat(turn.reply().cancelledWithin(WAIT)).isTrue();
    assertThat(admission.active()).isZero();
  }

  @Test
  void aClientThatVanishesMidStreamHasItsEngineWorkStoppedAndFreed() throws Exception {
    Generating turn = generating();
    assertThat(puppet.isOpen(turn.session())).isTrue();
    turn.client().vanish();
    // The session stays resumable for the resume window (1 s here), then everything is freed.
    assertThat(turn.reply().cancelledWithin(WAIT)).isTrue();
    awaitTrue(() -> admission.active() == 0 && !puppet.isOpen(turn.session()));
  }

  @Test
  void anEngineFailureMidStreamEndsTheTurnFailedWithEngineFailed() throws Exception {
    Generating turn = generating();
    turn.reply().fail(new EngineFailureException(EngineFailureException.Kind.FAILED, "the model fell over"));
    Map<String, Object> done = turn.client().nextEvent();
    assertThat(done).containsEntry("type", "continuation.done").containsEntry("status", "failed");
    assertThat(done.get("failure")).isEqualTo(Map.of("code", "engine_failed", "message", "the model fell over"));
  }

  @Test
  void aCommitFindingEverySlotAndQueuePlaceTakenFailsAtOnceAsOverloaded() throws Exception {
    List<PuppetEngine.Reply> hanging = List.of(puppet.expectReply(), puppet.expectReply(), puppet.expectReply());
    for (int i = 0; i < 3; i++) { // two slots and one queue place
      WsClient busy = connect();
      Device device = new Device();
      device.open(busy);
      device.committedTurn(busy, "t1", "Tell me a story.", List.of("Once"));
    }
    awaitTrue(() -> admission.active() == 2 && admission.queued() == 1);
    WsClient client = connect();
    Device device = new Device();
    device.open(client);
    device.committedTurn(client, "t1", "Tell me a story.", List.of("Once"));
    Map<String, Object> done = client.nextEvent();
    assertThat(done).containsEntry("type", "continuation.done").containsEntry("status", "failed");
    assertThat(((Map<?, ?>) done.get("failure")).get("code")).isEqualTo("overloaded");
    hanging.forEach(PuppetEngine.Reply::complete);
  }

  @Test
  void aCommitBeforeTheModelIsLoadedFailsAsOverloaded() {
    puppet.ready(false);
    WsClient client = connect();
    Device device = new Device();
    device.open(client);
    device.committedTurn(client, "t1", "Tell me a story.", List.of("Once"));
    Map<String, Object> done = client.nextEvent();
    assertThat(done).containsEntry("type", "continuation.done").containsEntry("status", "failed");
    assertThat(((Map<?, ?>) done.get("failure")).get("code")).isEqualTo("overloaded");
  }

  @Test
  void theNextTurnSeesOnlyTheWordsTheUserHeard() throws Exception {
    PuppetEngine.Reply first = puppet.expectReply();
    PuppetEngine.Reply second = puppet.expectReply();
    Open open = moonLandingAccepted(first);
    WsClient client = open.client();
    Device device = open.device();
    first.emit(" 1969, Apollo").emit(" 11 landed.");
    client.nextEvent();
    client.nextEvent();
    client.send(device.cancel("t1"));
    client.send(device.truncate("t1", 3));
    assertThat(client.nextEvent()).containsEntry("type", "continuation.done").containsEntry("status", "cancelled");
    assertThat(client.nextEvent()).containsEntry("type", "turn.truncated").containsEntry("text", "In July 1969,");
    device.committedTurn(client, "t2", "Who walked first?", List.of("Neil"));
    ContinuationRequest request = second.request(WAIT);
    assertThat(request.context().history())
        .containsExactly(
            new HistoryItem(Role.USER, "Tell me about the Moon landing."),
            new HistoryItem(Role.ASSISTANT, "In July 1969,"));
    assertThat(request.context().userText()).isEqualTo("Who walked first?");
  }

  @Test
  void eventsBeyondTheRateLimitAreRefusedAndTheSessionGoesOn() throws Exception {
    WsClient client = connect();
    Device device = new Device();
    device.open(client);
    for (int i = 0; i < 90; i++) { // 50 per second allowed here; under 100, so not flooding
      client.send(device.ping("burst-" + i));
    }
    int limited = 0;
    for (int i = 0; i < 90; i++) {
      Map<String, Object> event = client.nextEvent();
      if ("error".equals(event.get("type"))) {
        assertThat(event).containsEntry("code", "rate_limited").containsEntry("fatal", false);
        limited++;
      }
    }
    assertThat(limited).isPositive();
    Thread.sleep(1100);
    device.sync(client);
  }

  @Test
  void anOpenerWordRefusedForTheRateStillCountsAndTheNextTurnGoesOn() throws Exception {
    Refused refused =
        refusedForTheRate(
            () -> {
              WsClient client = connect();
              Device device = new Device();
              device.open(client);
              client.send(device.turnStart("t1"));
              client.send(device.inputFinal("t1", "Tell me about the Moon landing."));
              client.send(device.word("t1", 0, "In"));
              return new Open(client, device);
            },
            device -> device.word("t1", 1, " July")); // refused: the protocol still records it
    assertThat(refused.events())
        .anySatisfy(event -> assertThat(event).containsEntry("type", "continuation.done").containsEntry("status", "failed"));
    WsClient client = refused.open().client();
    Device device = refused.open().device();
    client.send(device.commit("t1", List.of("In", " July")));

    theNextTurnHasInItsHistory(client, device, "In July");
  }

  @Test
  void aTruncateRefusedForTheRateIsStillAnsweredAndTheNextTurnGoesOn() throws Exception {
    Refused refused =
        refusedForTheRate(
            () -> {
              PuppetEngine.Reply first = puppet.expectReply();
              Open open = moonLandingAccepted(first);
              first.emit(" 1969, Apollo");
              assertThat(open.client().nextEvent()).containsEntry("type", "continuation.delta");
              open.client().send(open.device().cancel("t1"));
              assertThat(open.client().nextEvent())
                  .containsEntry("type", "continuation.done")
                  .containsEntry("status", "cancelled");
              return open;
            },
            device -> device.truncate("t1", 3)); // refused: the protocol still records it
    assertThat(refused.events())
        .anySatisfy(event -> assertThat(event).containsEntry("type", "turn.truncated").containsEntry("text", "In July 1969,"));
    WsClient client = refused.open().client();

    theNextTurnHasInItsHistory(client, refused.open().device(), "In July 1969,");
    assertThat(client.nextEvent()).containsEntry("type", "opener.accept").containsEntry("turn_id", "t2");
  }

  /** Turn t2 goes on, and the engine sees the Moon-landing question answered with {@code reply}. */
  private void theNextTurnHasInItsHistory(WsClient client, Device device, String reply) throws InterruptedException {
    PuppetEngine.Reply second = puppet.expectReply();

    device.committedTurn(client, "t2", "Who walked first?", List.of("Neil"));

    assertThat(second.request(WAIT).context().history())
        .containsExactly(
            new HistoryItem(Role.USER, "Tell me about the Moon landing."),
            new HistoryItem(Role.ASSISTANT, reply));
  }

  /** A session whose chosen event was refused for the rate, and every event up to the next sync. */
  private record Refused(Open open, List<Map<String, Object>> events) {}

  /**
   * Sets up a session, empties its rate bucket and sends {@code event}, until the event is refused
   * for the rate. The bucket refills a token every 20 ms, so on a busy machine a pause between the
   * burst and the event lets the event through: then it tries again on a fresh session, up to
   * {@link #REFUSAL_ATTEMPTS} times.
   */
  private Refused refusedForTheRate(Callable<Open> setUp, Function<Device, String> event) throws Exception {
    for (int attempt = 0; attempt < REFUSAL_ATTEMPTS; attempt++) {
      Open open = setUp.call();
      emptyTheRateBucket(open.client(), open.device());
      open.client().send(event.apply(open.device()));
      String eventId = open.device().lastId();
      Thread.sleep(1100); // the bucket refills
      List<Map<String, Object>> events = eventsUntilInSync(open.client(), open.device());
      if (events.stream().anyMatch(e -> "rate_limited".equals(e.get("code")) && eventId.equals(e.get("in_reply_to")))) {
        return new Refused(open, events);
      }
      open.client().close();
    }
    throw new AssertionError("the event was not refused for the rate in " + REFUSAL_ATTEMPTS + " tries");
  }

  /** Sends more pings than this service allows in a second (50), so that the next event is refused. */
  private static void emptyTheRateBucket(WsClient client, Device device) {
    for (int i = 0; i < 80; i++) {
      client.send(device.ping("burst-" + i));
    }
  }

  /** Every event up to the pong of a fresh ping (which must not be refused itself). */
  private static List<Map<String, Object>> eventsUntilInSync(WsClient client, Device device) {
    String id = "in-sync";
    client.send(device.ping(id));
    List<Map<String, Object>> events = new ArrayList<>();
    while (true) {
      Map<String, Object> event = client.nextEvent();
      if ("pong".equals(event.get("type")) && id.equals(event.get("in_reply_to"))) {
        return events;
      }
      events.add(event);
    }
  }

  /** A session and its device. */
  private record Open(WsClient client, Device device) {}

  /** A session whose turn t1 ("In July" about the Moon landing) was accepted and reached {@code reply}. */
  private Open moonLandingAccepted(PuppetEngine.Reply reply) throws InterruptedException {
    WsClient client = connect();
    Device device = new Device();
    device.open(client);
    device.committedTurn(client, "t1", "Tell me about the Moon landing.", List.of("In", " July"));
    assertThat(client.nextEvent()).containsEntry("type", "opener.accept");
    reply.request(WAIT);
    return new Open(client, device);
  }

  /** A session whose turn t1 committed the four-word {@link #OPENER}. */
  private Open committedOpener() {
    WsClient client = connect();
    Device device = new Device();
    device.open(client);
    device.committedTurn(client, "t1", "What is the capital of Australia?", OPENER);
    return new Open(client, device);
  }

  /** A session whose turn t1 was accepted and has sent its first delta, with the engine still going. */
  private record Generating(WsClient client, Device device, String session, PuppetEngine.Reply reply) {}

  private Generating generating() throws InterruptedException {
    PuppetEngine.Reply reply = puppet.expectReply();
    WsClient client = connect();
    Device device = new Device();
    String session = (String) device.open(client).get("session_id");
    device.committedTurn(client, "t1", "Tell me a story.", List.of("Once"));
    assertThat(client.nextEvent()).containsEntry("type", "opener.accept");
    reply.request(WAIT);
    reply.emit(" upon");
    assertThat(client.nextEvent()).containsEntry("type", "continuation.delta");
    return new Generating(client, device, session, reply);
  }

  private WsClient connect() {
    WsClient client = WsClient.connect(port, HandoffServiceTest.KEY);
    clients.add(client);
    return client;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(20);
    }
  }
}

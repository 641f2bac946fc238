package dev.overture.device;

import static dev.overture.device.Agents.QUESTION;
import static dev.overture.device.Agents.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import dev.overture.protocol.Words;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent as a whole: its modes, working without a network, and what closing it frees. */
final class OvertureAgentTest {


  @RegisterExtension @Order(1) final StubCloud cloud = new StubCloud();
  @RegisterExtension @Order(2) final Agents agents = new Agents(); // closes its agents first
  private final RecordingListener listener = new RecordingListener();

  @Test
  void closeLeavesNoThreadRunning() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    cloud.onTurn(turn -> turn.answer(" is a string instrument."));
    OvertureAgent agent = Agents.patient().cloud(cloud.url(), null).build();
    Conversation conversation = agent.newConversation(listener);
    cloud.awaitConnected();
    ask(conversation, QUESTION);

    agent.close();

    long end = System.nanoTime() + StubCloud.TIMEOUT_MILLIS * 1_000_000L;
    List<String> left = threadsSince(before);
    while (!left.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(10);
      left = threadsSince(before);
    }
    assertEquals(List.of(), left);
  }

  @Test
  void closeReleasesTheModelFile() throws Exception {
    assumeTrue(Files.isDirectory(Paths.get("/proc/self/fd")), "counting open files needs Linux's /proc");
    int before = openHandles(Agents.MICRO_MODEL);
    OvertureAgent agent = Agents.patient().build();
    int open = openHandles(Agents.MICRO_MODEL);

    agent.close();

    assertTrue(open > before, "the loaded model holds its file");
    assertEquals(before, openHandles(Agents.MICRO_MODEL));
  }

  @Test
  void closeClosesTheConnection() throws Exception {
    OvertureAgent agent = agents.build(Agents.patient().cloud(cloud.url(), null));
    agent.newConversation(listener);
    cloud.awaitConnected();

    agent.close();

    cloud.awaitNoConnection();
    assertEquals(0, cloud.openConnections());
  }

  @Test
  void closedAgentOpensNoConversation() throws Exception {
    OvertureAgent agent = agents.build(Agents.patient());
    agent.close();

    assertThrows(IllegalStateException.class, () -> agent.newConversation(listener));
  }

  @Test
  void cancelAfterCloseCompletes() throws Exception {
    OvertureAgent agent = agents.build(Agents.patient());
    Conversation conversation = agent.newConversation(listener);
    agent.close();

    assertTrue(conversation.cancel().isDone(), "the loop that would complete it is gone");
  }

  @Test
  void cloudHistoryAfterCloseIsEmpty() throws Exception {
    OvertureAgent agent = agents.build(Agents.patient());
    Conversation conversation = agent.newConversation(listener);
    agent.close();

    assertEquals(List.of(), Agents.await(conversation.cloudHistory()));
  }

  @Test
  void withoutNetworkTheDeviceAnswersAlone() throws Exception {
    String nowhere;
    try (MockWebServer gone = new MockWebServer()) {
      gone.start();
      nowhere = gone.url("/").toString();
    }
    Conversation conversation = agents.build(Agents.patient().cloud(nowhere, null)).newConversation(listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals(AgentException.Kind.CLOUD_UNREACHABLE, result.error().kind());
    assertEquals("device done(LOCAL)", listener.trace());
    assertTrue(Words.count(result.reply()) > result.metrics().openerWords(), "the device completed the sentence: " + result.reply());
    listener.assertSpliced(0, result);
  }

  @Test
  void withoutACloudTheDeviceAnswersAlone() throws Exception {
    Conversation conversation = agents.build(Agents.patient()).newConversation(listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.LOCAL, result.status());
    assertEquals("none", result.metrics().transport());
    assertEquals("no cloud configured", result.metrics().fallback());
    assertEquals("device done(LOCAL)", listener.trace());
    assertEquals(List.of(), listener.errors());
    listener.assertSpliced(0, result);
  }

  @Test
  void deviceOnlyModeAnswersWithoutTheCloud() throws Exception {
    OvertureAgent.Builder deviceOnly = Agents.patient().mode(AgentMode.DEVICE_ONLY).cloud(cloud.url(), null);
    Conversation conversation = agents.build(deviceOnly).newConversation(listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals(TurnStatus.COMPLETED, result.status());
    assertEquals("none", result.metrics().transport());
    assertEquals("device done(COMPLETED)", listener.trace());
    assertEquals(0, cloud.handoffRequests());
    assertEquals(List.of(), cloud.continueRequests());
    listener.assertSpliced(0, result);
  }

  @Test
  void deviceOnlyQuestionTooLongForTheDeviceFails() throws Exception {
    Conversation conversation = agents.build(Agents.patient().mode(AgentMode.DEVICE_ONLY)).newConversation(listener);

    TurnResult result = ask(conversation, ConversationTest.TOO_LONG_FOR_THE_DEVICE);

    assertEquals(TurnStatus.FAILED, result.status());
    assertEquals(AgentException.Kind.CONTEXT_TOO_LARGE, result.error().kind());
    assertEquals("done(FAILED)", listener.trace());
  }

  @Test
  void cloudOnlyModeSpeaksOnlyCloudWords() throws Exception {
    cloud.onTurn(turn -> turn.answer("A violin is", " a string instrument."));
    Conversation conversation = agents.connect(Agents.patient().mode(AgentMode.CLOUD_ONLY), cloud, listener);

    TurnResult result = ask(conversation, QUESTION);

    assertEquals("cloud done(COMPLETED)", listener.trace());
    assertEquals("A violin is a string instrument.", result.reply());
    assertEquals(0, cloud.turns().get(0).awaitCommit().wordCount());
    assertEquals(0, result.metrics().deviceWords());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }

  @Test
  void listenersRunOnTheExecutorGiven() throws Exception {
    ExecutorService main = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "app-main"));
    try {
      AtomicReference<String> thread = new AtomicReference<>();
      AgentListener recordThread = new AgentListener() {
        @Override
        public void onTurnDone(TurnResult result) {
          thread.set(Thread.currentThread().getName());
        }
      };
      OvertureAgent.Builder onMain = Agents.patient().mode(AgentMode.DEVICE_ONLY).callbackExecutor(main);
      Conversation conversation = agents.build(onMain).newConversation(recordThread);

      ask(conversation, QUESTION);

      assertEquals("app-main", thread.get());
    } finally {
      main.shutdown();
    }
  }

  @Test
  void buildingWithoutAModelFails() {
    assertThrows(IllegalStateException.class, () -> OvertureAgent.builder().build());
  }

  @Test
  void cloudOnlyWithoutACloudFailsAtBuild() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> OvertureAgent.builder().microModel(java.nio.file.Path.of("no-model-is-read-before-this-check.gguf"))
            .mode(AgentMode.CLOUD_ONLY).build());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cloud-only mode needs the cloud"), e.getMessage());
  }

  @Test
  void speechRateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> OvertureAgent.builder().speechRate(0));
  }

  @Test
  void cloudMustBeAnHttpUrl() {
    assertThrows(IllegalArgumentException.class, () -> OvertureAgent.builder().cloud("ftp://cloud.example.com", null));
  }

  /** How many of this process's open file descriptors point at {@code file}. */
  private static int openHandles(Path file) throws IOException {
    Path target = file.toRealPath();
    int count = 0;
    try (Stream<Path> descriptors = Files.list(Paths.get("/proc/self/fd"))) {
      for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
        try {
          if (Files.readSymbolicLink(descriptor).equals(target)) {
            count++;
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor of the listing itself, or one closed since: not the model.
        }
      }
    }
    return count;
  }

  /**
   * The threads started since {@code before} that are still alive, but the stub's own and two
   * that belong to the process rather than to any client: OkHttp's task runner (shared with the
   * stub's server) and Okio's timeout watchdog, whose idle threads end on their own.
   */
  private static List<String> threadsSince(Set<Thread> before) {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (thread.isAlive() && !before.contains(thread) && !name.equals("OkHttp TaskRunner") && !name.equals("Okio Watchdog")
          && !name.startsWith("MockWebServer") && !name.startsWith("stub-cloud")) {
        names.add(name);
      }
    }
    return names;
  }
}

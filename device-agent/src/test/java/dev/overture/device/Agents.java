package dev.overture.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.protocol.PlaybackProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Builds the agents of a test and closes them after it, then checks that closing left none of
 * their threads running. Register it after the {@link StubCloud} ({@code @Order}), so that the
 * agents close first.
 */
final class Agents implements AfterEachCallback {

  /** What the user asks unless a test says otherwise. */
  static final String QUESTION = "What is a violin?";

  /** The bundled micro model (tests run in the repository root). */
  static final Path MICRO_MODEL = Paths.get("models/overture-micro-q8_0.gguf");

  private final List<OvertureAgent> agents = new ArrayList<>();

  /**
   * An agent on the micro model that waits for the cloud as long as any test runs: one word a
   * second and a minute of grace put the fallback deadline out of reach, so a scripted cloud
   * always answers in time however loaded the machine is.
   */
  static OvertureAgent.Builder patient() {
    return OvertureAgent.builder().microModel(MICRO_MODEL).speechRate(1).fallbackGrace(Duration.ofMinutes(1));
  }

  /**
   * An agent whose deadline passes as soon as the opener has played (50 words a second, no
   * grace): for a cloud that is late.
   */
  static OvertureAgent.Builder hasty() {
    return OvertureAgent.builder().microModel(MICRO_MODEL).speechRate(50).fallbackGrace(Duration.ZERO);
  }

  /** Builds {@code builder}'s agent, closed after the test. */
  OvertureAgent build(OvertureAgent.Builder builder) throws IOException {
    OvertureAgent agent = builder.build();
    agents.add(agent);
    return agent;
  }

  /** A patient agent on {@code cloud}, with a conversation whose WebSocket session is up. */
  Conversation connect(StubCloud cloud, AgentListener listener) throws IOException {
    return connect(patient().cloud(cloud.url(), null), cloud, listener);
  }

  /**
   * Like {@link #connect(StubCloud, AgentListener)}, on a cloud that accepts every opener and
   * continues it with {@code deltas}.
   */
  Conversation connectAnswering(StubCloud cloud, AgentListener listener, String... deltas) throws IOException {
    cloud.onTurn(turn -> turn.answer(deltas));
    return connect(cloud, listener);
  }

  /** {@code builder}'s agent on {@code cloud}, with a conversation whose WebSocket session is up. */
  Conversation connect(OvertureAgent.Builder builder, StubCloud cloud, AgentListener listener) throws IOException {
    Conversation conversation = build(builder.cloud(cloud.url(), null)).newConversation(listener);
    // A turn goes over the WebSocket only once it is open; before, it takes the one-shot POST.
    cloud.awaitConnected();
    return conversation;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (OvertureAgent agent : agents) {
      agent.close();
    }
    if (!agents.isEmpty()) {
      awaitNoAgentThreads();
    }
  }

  /** Waits until no thread of any agent is alive; fails naming them if they stay. */
  static void awaitNoAgentThreads() throws InterruptedException {
    long end = System.nanoTime() + StubCloud.TIMEOUT_MILLIS * 1_000_000L;
    List<String> alive = agentThreads();
    while (!alive.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(10);
      alive = agentThreads();
    }
    assertEquals(List.of(), alive, "threads left after the agent closed");
  }

  private static List<String> agentThreads() {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith("overture-")) {
        names.add(thread.getName());
      }
    }
    return names;
  }

  /** The user says {@code text}: a partial transcript of it, then the final one; returns the turn's result. */
  static TurnResult ask(Conversation conversation, String text) throws Exception {
    return await(say(conversation, text));
  }

  /** Like {@link #ask}, without waiting for the result. */
  static CompletableFuture<TurnResult> say(Conversation conversation, String text) {
    conversation.partialTranscript(text);
    return conversation.finalTranscript(text);
  }

  /**
   * The user says {@code text}, and the test plays the cloud's side of the turn step by step: the
   * cloud's turn, once started. The turn's result comes to the listener.
   */
  static StubCloud.CloudTurn askStepwise(Conversation conversation, StubCloud cloud, String text) {
    say(conversation, text);
    return cloud.nextTurn();
  }

  /** Lets the user hear {@code words} words of the reply, and waits until the cloud knows it. */
  static void hear(Conversation conversation, StubCloud.CloudTurn turn, int words) {
    conversation.playbackProgress(words);
    turn.await(PlaybackProgress.class, progress -> progress.wordsHeard() == words);
  }

  /**
   * Waits until the agent's loop ran every task queued before this call: the loop runs tasks in
   * order, and {@link Conversation#cloudHistory} is answered by one.
   */
  static void drainLoop(Conversation conversation) throws Exception {
    await(conversation.cloudHistory());
  }

  /** The value of {@code future}, which must complete within the tests' timeout. */
  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(StubCloud.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }
}

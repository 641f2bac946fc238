package dev.overture.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.device.AgentMode;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent as the app builds it, on the bundled micro model mapped as the app maps its asset, with the session
 * and a TTS stand-in that plays every utterance at once. The cloud URL points at a closed port: nothing in these
 * tests needs a cloud to answer.
 */
class AgentHolderTest {

  static final Path MODEL = Path.of("../models/overture-micro-q8_0.gguf");
  static final CloudSettings CLOUD = new CloudSettings("http://127.0.0.1:9", "key");

  final ExecutorService main = Executors.newSingleThreadExecutor(r -> new Thread(r, "main"));
  final ExecutorService background = Executors.newSingleThreadExecutor(r -> new Thread(r, "background"));
  final Transcript transcript = new Transcript();
  final BlockingQueue<AgentMode> modes = new LinkedBlockingQueue<>();
  final VoiceSession session = new VoiceSession(new InstantTts(), new FakeRecognizer(), new FakeFocus(), transcript, () -> {});
  final AgentHolder holder = new AgentHolder("overture-micro-q8_0.gguf", map(MODEL), background, main, session, new AgentHolder.Listener() {
    @Override
    public void ready(AgentMode mode) {
      modes.add(mode);
    }

    @Override
    public void failed(Exception error) {
      throw new AssertionError(error);
    }
  });

  @AfterEach
  void close() throws Exception {
    onMain(() -> {
      holder.close();
      return null;
    });
    background.shutdown();
    background.awaitTermination(10, TimeUnit.SECONDS);
    main.shutdown();
  }

  private static ByteBuffer map(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private <T> T onMain(Callable<T> task) throws Exception {
    return main.submit(task).get(30, TimeUnit.SECONDS);
  }

  private AgentMode configure(CloudSettings settings, boolean online) throws Exception {
    onMain(() -> {
      holder.configure(settings, online);
      return null;
    });
    return modes.poll(60, TimeUnit.SECONDS);
  }

  /** One push-to-talk turn, waited for until the reply has played. */
  private void ask(String question) throws Exception {
    onMain(() -> {
      session.pressed();
      session.partial(question);
      session.released();
      session.result(question);
      return null;
    });
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!onMain(session::idle) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }

  private String details() throws Exception {
    List<Transcript.Segment> segments = onMain(transcript::segments);
    return segments.get(segments.size() - 1).text();
  }

  @Test
  void offlineTheAgentAnswersOnTheDeviceAlone() throws Exception {
    assertEquals(AgentMode.DEVICE_ONLY, configure(CLOUD, false));
  }

  @Test
  void offlineTurnIsSpokenFromTheBundledModel() throws Exception {
    configure(CLOUD, false);

    ask("What is a violin?");

    assertTrue(details().contains("device only"), details());
  }

  @Test
  void onlineWithACloudTheAgentSplitsReplies() throws Exception {
    assertEquals(AgentMode.SPLIT, configure(CLOUD, true));
  }

  @Test
  void rebuildForTheNetworkKeepsTheConversation() throws Exception {
    configure(CLOUD, false);
    ask("What is a violin?");
    String reply = onMain(holder::history).get(1).text();

    configure(CLOUD, true);

    assertEquals(List.of(new HistoryItem(Role.USER, "What is a violin?"), new HistoryItem(Role.ASSISTANT, reply)), onMain(holder::history));
  }

  @Test
  void rebuildWaitsUntilTheSessionIsIdle() throws Exception {
    configure(CLOUD, false);

    boolean attached = onMain(() -> {
      session.pressed(); // listening: a turn is about to start
      holder.configure(CLOUD, true);
      return session.ready();
    });

    assertTrue(attached, "the agent was not replaced while the user spoke");
  }

  @Test
  void planIsDeviceOnlyOffline() {
    assertEquals(AgentMode.DEVICE_ONLY, AgentHolder.Plan.of(CLOUD, false).mode());
  }

  @Test
  void planIsDeviceOnlyWithoutACloudUrl() {
    assertEquals(AgentMode.DEVICE_ONLY, AgentHolder.Plan.of(CloudSettings.NONE, true).mode());
  }

  @Test
  void planIsDeviceOnlyWithAnUnusableCloudUrl() {
    assertEquals(AgentMode.DEVICE_ONLY, AgentHolder.Plan.of(new CloudSettings("overture.example.com", ""), true).mode());
  }

  /** Plays every utterance as soon as it is asked for, reporting start and end on the main thread. */
  final class InstantTts implements TtsEngine {
    @Override
    public void speak(String utteranceId, String text) {
      main.execute(() -> {
        session.speechEvents().started(utteranceId);
        session.speechEvents().finished(utteranceId);
      });
    }

    @Override
    public void stop() {}
  }
}

package dev.overture.android;

import dev.overture.device.AgentMode;
import dev.overture.device.Conversation;
import dev.overture.device.OvertureAgent;
import dev.overture.protocol.HistoryItem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Owns the agent and its conversation, and keeps them matching the settings and the network: with a usable cloud
 * URL and a network the agent splits each reply with the cloud; otherwise it answers on the device alone
 * ({@link AgentMode#DEVICE_ONLY}), so that the app works offline without a connection attempt per turn.
 *
 * <p>The builder fixes the cloud, so a change rebuilds the agent; that waits until the session is idle (never in
 * the middle of a turn) and the new conversation continues the old one's history. Loading the model and closing
 * the old agent run on the background executor; everything else on the main one.
 */
final class AgentHolder implements AutoCloseable {

  /** What the screen learns about the agent. */
  interface Listener {

    /** The agent answers now in {@code mode}. */
    void ready(AgentMode mode);

    /** The agent could not be built (for example a corrupt model). */
    void failed(Exception error);
  }

  /**
   * How the agent is built.
   *
   * @param mode {@link AgentMode#SPLIT} or {@link AgentMode#DEVICE_ONLY}
   * @param cloud the settings used in split mode ({@link CloudSettings#NONE} otherwise)
   */
  record Plan(AgentMode mode, CloudSettings cloud) {

    static Plan of(CloudSettings settings, boolean online) {
      return online && settings.usable() ? new Plan(AgentMode.SPLIT, settings) : new Plan(AgentMode.DEVICE_ONLY, CloudSettings.NONE);
    }
  }

  private final String modelName;
  private final ByteBuffer model;
  private final Executor background;
  private final Executor main;
  private final VoiceSession session;
  private final Listener listener;

  // Main thread only.
  private Plan wanted;
  private Plan built;
  private OvertureAgent agent;
  private Conversation conversation;
  private List<HistoryItem> history = Collections.emptyList();
  private boolean building;
  private boolean closed;

  /**
   * @param model the GGUF image (a mapped asset); it must not change
   * @param background runs the model load and the old agent's close
   * @param main the main thread: the agent's callbacks and every state change run there
   */
  AgentHolder(String modelName, ByteBuffer model, Executor background, Executor main, VoiceSession session, Listener listener) {
    this.modelName = modelName;
    this.model = model;
    this.background = background;
    this.main = main;
    this.session = session;
    this.listener = listener;
  }

  /** The settings or the network changed (call once at start): rebuilds the agent when its plan changes. */
  void configure(CloudSettings settings, boolean online) {
    Plan plan = Plan.of(settings, online);
    if (closed || plan.equals(wanted)) {
      return;
    }
    wanted = plan;
    if (!building && !plan.equals(built)) {
      session.whenIdle(this::rebuild);
    }
  }

  /** The plan the agent runs with now, or null while none is ready. */
  Plan plan() {
    return agent == null ? null : built;
  }

  /** The conversation's history (carried over to the next agent on a rebuild). */
  List<HistoryItem> history() {
    return conversation == null ? history : conversation.history();
  }

  /** Main thread, session idle. */
  private void rebuild() {
    if (closed || wanted.equals(built) && agent != null) {
      return;
    }
    Plan plan = wanted;
    OvertureAgent old = agent;
    history = history();
    agent = null;
    conversation = null;
    building = true;
    session.detach();
    background.execute(() -> {
      closeQuietly(old);
      try {
        OvertureAgent next = build(plan);
        main.execute(() -> install(plan, next));
      } catch (IOException | RuntimeException e) {
        main.execute(() -> {
          building = false;
          listener.failed(e);
          if (!closed && !Objects.equals(wanted, plan)) {
            session.whenIdle(this::rebuild); // the settings changed while this build failed
          }
        });
      }
    });
  }

  private OvertureAgent build(Plan plan) throws IOException {
    OvertureAgent.Builder builder = OvertureAgent.builder()
        .microModel(modelName, model)
        .callbackExecutor(main)
        .client("overture-android", "0.1.0")
        .mode(plan.mode());
    if (plan.mode() == AgentMode.SPLIT) {
      builder.cloud(plan.cloud().url(), plan.cloud().apiKey().isEmpty() ? null : plan.cloud().apiKey());
    }
    return builder.build();
  }

  private void install(Plan plan, OvertureAgent next) {
    building = false;
    if (closed) {
      // The app closed while the model loaded; its background thread may be shut down already.
      try {
        background.execute(() -> closeQuietly(next));
      } catch (RejectedExecutionException e) {
        closeQuietly(next);
      }
      return;
    }
    agent = next;
    built = plan;
    conversation = next.newConversation(session, history);
    session.attach(Dialogue.of(conversation));
    listener.ready(plan.mode());
    if (!Objects.equals(wanted, built)) {
      session.whenIdle(this::rebuild); // the settings changed again while the model loaded
    }
  }

  /** Frees the model and the agent's threads (in the background). */
  @Override
  public void close() {
    closed = true;
    OvertureAgent old = agent;
    agent = null;
    conversation = null;
    background.execute(() -> closeQuietly(old));
  }

  private static void closeQuietly(OvertureAgent agent) {
    if (agent == null) {
      return;
    }
    try {
      agent.close();
    } catch (IOException e) {
      // Closing frees memory and threads; nothing the user could act on.
    }
  }
}

package dev.overture.device;

import dev.overture.device.internal.AgentLoop;
import dev.overture.device.internal.CloudListener;
import dev.overture.device.internal.ContinueLink;
import dev.overture.device.internal.OrderedExecutor;
import dev.overture.device.internal.WebSocketLink;
import dev.overture.device.opener.MicroSession;
import dev.overture.device.opener.OpenerPolicy;
import dev.overture.lm.LanguageModel;
import dev.overture.lm.LoadOptions;
import dev.overture.lm.SessionOptions;
import dev.overture.lm.chat.ChatFormat;
import dev.overture.lm.kernel.Kernels;
import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson2.Jackson2Binding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The on-device agent: the micro model, the connection settings to the cloud, and the threads
 * every conversation shares. Build one per app with {@link #builder()}, open {@link
 * Conversation}s from it, and {@link #close()} it when done: that frees the model, the sockets and
 * every thread the agent started.
 *
 * <pre>{@code
 * OvertureAgent agent = OvertureAgent.builder()
 *     .microModel(Paths.get("overture-micro-q8_0.gguf"))
 *     .cloud("https://cloud.example.com", apiKey)
 *     .build();
 * Conversation conversation = agent.newConversation(listener);
 * conversation.partialTranscript("What is a");
 * conversation.finalTranscript("What is a violin?");
 * }</pre>
 *
 * <p>Threads: one loop thread owns every conversation's state and runs the micro model
 * ({@code overture-agent-N}); listeners run on the callback executor (a thread of the agent's own,
 * {@code overture-callbacks-N}, unless {@link Builder#callbackExecutor} set one); OkHttp's threads
 * only read the network. Thread-safe.
 */
public final class OvertureAgent implements AutoCloseable {

  private static final AtomicInteger AGENTS = new AtomicInteger();

  private final LanguageModel model;
  private final AgentMode mode;
  private final OpenerPolicy policy;
  private final double wordsPerSecond;
  private final long graceNanos;
  private final long expectedCloudNanos;
  private final String systemPrompt;
  private final boolean speculativeOpener;
  private final boolean faithfulCopy;
  private final HttpUrl cloudUrl;
  private final String apiKey;
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final ClientInfo clientInfo;
  private final EventCodec codec = new EventCodec(new Jackson2Binding());
  private final AgentLoop loop;
  private final ExecutorService ownCallbackThread;
  private final Executor callbacks;
  private final List<Conversation> conversations = new ArrayList<>();
  private final AtomicInteger conversationCount = new AtomicInteger();
  private boolean closed;

  private OvertureAgent(Builder builder, LanguageModel model) {
    this.model = model;
    this.mode = builder.mode;
    this.policy = builder.policy;
    this.wordsPerSecond = builder.wordsPerSecond;
    this.graceNanos = builder.grace.toNanos();
    this.expectedCloudNanos = builder.expectedCloudLatency.toNanos();
    this.systemPrompt = builder.systemPrompt;
    this.speculativeOpener = builder.speculativeOpener;
    this.faithfulCopy = builder.faithfulCopy;
    this.cloudUrl = builder.cloudUrl;
    this.apiKey = builder.apiKey;
    this.ownsHttp = builder.http == null;
    this.http = builder.http != null ? builder.http : new OkHttpClient.Builder().build();
    this.clientInfo = new ClientInfo(builder.appName, builder.appVersion, System.getProperty("java.vm.name"), model.name());
    int number = AGENTS.incrementAndGet();
    this.loop = new AgentLoop(e -> reportInternal(e));
    if (builder.callbackExecutor == null) {
      this.ownCallbackThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "overture-callbacks-" + number);
        t.setDaemon(true);
        return t;
      });
      this.callbacks = new OrderedExecutor(ownCallbackThread);
    } else {
      this.ownCallbackThread = null;
      this.callbacks = new OrderedExecutor(builder.callbackExecutor);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A new conversation with an empty history. */
  public Conversation newConversation(AgentListener listener) {
    return newConversation(listener, Collections.<HistoryItem>emptyList());
  }

  /**
   * A new conversation that continues {@code history} (oldest first; it reaches the cloud with the
   * first turn).
   *
   * @throws IllegalStateException if the agent is closed, or the model's session cannot be made
   */
  public Conversation newConversation(AgentListener listener, List<HistoryItem> history) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(history, "history");
    synchronized (conversations) {
      if (closed) {
        throw new IllegalStateException("the agent is closed");
      }
      MicroSession micro;
      try {
        micro = new MicroSession(model, SessionOptions.defaults().withContextLength(model.config().contextLength()), systemPrompt, faithfulCopy);
      } catch (IOException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      Conversation conversation = new Conversation(this, listener, history, micro, conversationCount.incrementAndGet());
      conversations.add(conversation);
      return conversation;
    }
  }

  /** The micro model's name ({@code general.name}). */
  public String modelName() {
    return model.name();
  }

  /**
   * Closes every conversation, stops the agent's threads, closes the sockets and releases the
   * model. An {@link OkHttpClient} given to the builder stays usable; one the agent made is shut
   * down.
   */
  @Override
  public void close() throws IOException {
    List<Conversation> open;
    synchronized (conversations) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(conversations);
    }
    for (Conversation conversation : open) {
      conversation.close();
    }
    loop.close();
    if (ownCallbackThread != null) {
      ownCallbackThread.shutdown();
      try {
        ownCallbackThread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    model.close();
  }

  // ---- For conversations. ----

  void forget(Conversation conversation) {
    synchronized (conversations) {
      conversations.remove(conversation);
    }
  }

  AgentLoop loop() {
    return loop;
  }

  Executor callbacks() {
    return callbacks;
  }

  AgentMode mode() {
    return mode;
  }

  OpenerPolicy openerPolicy() {
    return policy;
  }

  double wordsPerSecond() {
    return wordsPerSecond;
  }

  long fallbackGraceNanos() {
    return graceNanos;
  }

  boolean speculativeOpener() {
    return speculativeOpener;
  }

  long expectedCloudNanos() {
    return expectedCloudNanos;
  }

  HttpUrl cloudUrl() {
    return cloudUrl;
  }

  WebSocketLink newWebSocketLink(CloudListener listener) {
    return new WebSocketLink(http, cloudUrl, apiKey, codec, clientInfo, loop, listener);
  }

  ContinueLink newContinueLink(CloudListener listener) {
    return new ContinueLink(http, cloudUrl, apiKey, codec, clientInfo, loop, listener);
  }

  /** A task on the loop threw: a bug. Every conversation hears of it; their running turns end. */
  private void reportInternal(Throwable e) {
    AgentException error = new AgentException(AgentException.Kind.INTERNAL, null, "agent loop task failed: " + e, e);
    List<Conversation> open;
    synchronized (conversations) {
      open = new ArrayList<>(conversations);
    }
    for (Conversation conversation : open) {
      conversation.failed(error);
    }
  }

  /** Settings of an {@link OvertureAgent}; every one but the model has a default. */
  public static final class Builder {
    private Path modelPath;
    private ByteBuffer modelImage;
    private String modelName;
    private Kernels kernels;
    private HttpUrl cloudUrl;
    private String apiKey;
    private OkHttpClient http;
    private OpenerPolicy policy = OpenerPolicy.defaults();
    private AgentMode mode = AgentMode.SPLIT;
    private double wordsPerSecond = 2.5;
    private Duration grace = Duration.ofMillis(300);
    private Duration expectedCloudLatency = Duration.ofMillis(400);
    private Executor callbackExecutor;
    private String systemPrompt = "";
    private boolean speculativeOpener = true;
    private boolean faithfulCopy = true;
    private String appName = "overture-device-agent";
    private String appVersion = "0.1.0";

    private Builder() {}

    /** The micro model, a GGUF file. */
    public Builder microModel(Path file) {
      this.modelPath = Objects.requireNonNull(file, "file");
      this.modelImage = null;
      return this;
    }

    /**
     * The micro model as a GGUF image in memory (an Android asset mapped with {@code
     * AssetFileDescriptor} or read into a buffer). The buffer must not change afterwards.
     */
    public Builder microModel(String name, ByteBuffer image) {
      this.modelName = Objects.requireNonNull(name, "name");
      this.modelImage = Objects.requireNonNull(image, "image");
      this.modelPath = null;
      return this;
    }

    /** The micro model read from {@code in}: read whole now, then closed. */
    public Builder microModel(String name, InputStream in) throws IOException {
      try (InputStream stream = in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = stream.read(buffer)) > 0; ) {
          bytes.write(buffer, 0, n);
        }
        return microModel(name, ByteBuffer.wrap(bytes.toByteArray()));
      }
    }

    /** The model's inner loops ({@link Kernels#best()} by default). */
    public Builder kernels(Kernels kernels) {
      this.kernels = Objects.requireNonNull(kernels, "kernels");
      return this;
    }

    /**
     * The cloud service's base URL ({@code https://host:port}; the agent adds {@code /v1/handoff}
     * and {@code /v1/continue}) and API key (null for none). Without a cloud the agent answers on
     * the device alone.
     */
    public Builder cloud(String baseUrl, String apiKey) {
      HttpUrl url = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
      if (url == null) {
        throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
      }
      this.cloudUrl = url;
      this.apiKey = apiKey;
      return this;
    }

    /** An OkHttp client to share with the app (its dispatcher, pool and settings); one of its own otherwise. */
    public Builder httpClient(OkHttpClient client) {
      this.http = Objects.requireNonNull(client, "client");
      return this;
    }

    public Builder openerPolicy(OpenerPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder mode(AgentMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** How fast the voice speaks, in words per second (2.5 by default): sizes openers and deadlines. */
    public Builder speechRate(double wordsPerSecond) {
      if (!(wordsPerSecond > 0) || Double.isInfinite(wordsPerSecond)) {
        throw new IllegalArgumentException("speech rate must be positive and finite, got " + wordsPerSecond);
      }
      this.wordsPerSecond = wordsPerSecond;
      return this;
    }

    /** How long after the spoken text runs out the cloud may still deliver before the device completes the sentence (300 ms). */
    public Builder fallbackGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative, got " + grace);
      }
      this.grace = grace;
      return this;
    }

    /** The cloud latency (commit to first word) assumed before any was measured (400 ms). */
    public Builder expectedCloudLatency(Duration latency) {
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative, got " + latency);
      }
      this.expectedCloudLatency = latency;
      return this;
    }

    /** Where listeners run (Android: the main thread's executor); tasks run in order even on a pool. */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Whether the micro model drafts the opener from each partial transcript while the user speaks
     * (on by default). A draft costs device compute only, never cloud tokens; when the final
     * transcript equals the partial it came from, the opener is ready at once. Off, the cache is
     * still prefilled from partials and the opener is generated at the end of speech.
     */
    public Builder speculativeOpener(boolean enabled) {
      this.speculativeOpener = enabled;
      return this;
    }

    /**
     * Whether decoding keeps the user's words intact (on by default, decision D47): a word the
     * micro model copies from the question is said as the user said it, or not at all. Off, plain
     * greedy decoding, for a model that copies reliably on its own or to measure the rule.
     */
    public Builder faithfulCopy(boolean enabled) {
      this.faithfulCopy = enabled;
      return this;
    }

    /** A system message before every conversation on the micro model (empty by default). */
    public Builder systemPrompt(String prompt) {
      this.systemPrompt = Objects.requireNonNull(prompt, "prompt");
      return this;
    }

    /** The app's name and version, sent to the cloud in {@code session.start}. */
    public Builder client(String name, String version) {
      this.appName = Objects.requireNonNull(name, "name");
      this.appVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Loads the model and starts the agent's threads.
     *
     * @throws IOException if the model cannot be read or is not a GGUF model the runtime can run
     *     (a {@code GgufFormatException} names the file and the fault)
     * @throws IllegalStateException if no model was set, or {@link AgentMode#CLOUD_ONLY} has no
     *     {@code cloud(...)} (its turns would wait for a cloud that is never asked)
     */
    public OvertureAgent build() throws IOException {
      if (modelPath == null && modelImage == null) {
        throw new IllegalStateException("set the micro model: microModel(Path), microModel(String, ByteBuffer) or microModel(String, InputStream)");
      }
      if (mode == AgentMode.CLOUD_ONLY && cloudUrl == null) {
        throw new IllegalStateException("cloud-only mode needs the cloud: set cloud(url, apiKey), or use SPLIT or DEVICE_ONLY");
      }
      LoadOptions options = kernels == null ? LoadOptions.defaults() : LoadOptions.defaults().withKernels(kernels);
      LanguageModel model = modelPath != null ? LanguageModel.load(modelPath, options) : LanguageModel.load(modelName, modelImage, options);
      try {
        ChatFormat.fromGguf(model.file().metadata(), model.tokenizer()); // fail at build, not at the first conversation
      } catch (IOException | RuntimeException e) {
        model.close();
        throw e;
      }
      return new OvertureAgent(this, model);
    }
  }
}

package dev.overture.cli;

import dev.overture.cloud.CloudServiceApplication;
import dev.overture.cloud.embedded.EmbeddedEngine;
import dev.overture.cloud.embedded.EmbeddedProperties;
import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.ForwardingConversation;
import dev.overture.cloud.engine.ForwardingEngine;
import dev.overture.cloud.engine.OpenerScore;
import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.ContinuationDelta;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.GoAway;
import dev.overture.protocol.InputFinal;
import dev.overture.protocol.InputPartial;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.OpenerRewind;
import dev.overture.protocol.OpenerRewindAck;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolVersion;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.TurnStart;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson3.Jackson3Binding;
import dev.overture.protocol.session.DeviceSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * {@code overture bench service}: holds N concurrent WebSocket sessions against the cloud service,
 * started in this process on a loopback port, each running K turns of handoff protocol v1, and
 * reports the sessions held without an error, the events lost or misordered, and the service's own
 * overhead: the time from sending {@code opener.commit} to receiving the first {@code
 * continuation.delta}, minus the engine's own time (its opener scoring plus its time to the first
 * chunk), measured inside the process by a wrapper around the engine.
 *
 * <p>Everything protocol-side is the project's own: frames are built and checked by {@link
 * DeviceSession} over the {@link EventCodec} (sequence numbers per direction, the order rules);
 * the service is {@link CloudServiceApplication} itself. Bounded in count ({@code --sessions} x
 * {@code --turns}) and in time ({@code --duration}): it stops by itself.
 *
 * <p>Coordinated omission: every turn has an intended start on a fixed schedule (session start +
 * connect allowance + turn x interval), and its latency is measured from that intended time, not
 * from when the client got round to sending, as wrk2 does: a late connect or a stalled client or
 * timer thread counts against the result instead of hiding the stall. The one exception is the
 * protocol's own: a turn may only start after the previous turn's {@code continuation.done}, so
 * when a predecessor overruns the interval the plan moves to its end (those turns are counted
 * and shown; with the default 5 s interval none overrun). The table also shows the latency from
 * the actual send for comparison.
 */
@Command(
    name = "service",
    header = "Load-test the cloud service with concurrent WebSocket sessions.",
    mixinStandardHelpOptions = true,
    description = {
      "Load-test the cloud service in-process on 127.0.0.1: N concurrent WebSocket sessions, "
          + "K protocol turns each (session.start, context, opener words, commit, continuation, done).",
      "Reports sessions held without error, events lost or misordered, and the service's own "
          + "overhead (commit to first delta minus engine time) at p50/p90/p99/max."
    })
final class BenchServiceCommand implements Callable<Integer> {
  static final int TARGET_SESSIONS = 200;
  static final double TARGET_OVERHEAD_P99_MS = 5.0;
  private static final String CONTINUATION = " and that is all there is to say about it.";
  private static final String[] OPENER = {"Sure,", " I", " think", " so,", " and"};

  @Option(names = "--engine", defaultValue = "synthetic", description = "synthetic (fixed continuation, known timing) or embedded (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(names = "--model", description = "The GGUF model for --engine embedded.")
  Path model;

  @Option(names = "--sessions", defaultValue = "200", description = "Concurrent WebSocket sessions (default: ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--turns", defaultValue = "5", description = "Turns per session (default: ${DEFAULT-VALUE}).")
  int turns;

  @Option(names = "--warmup-turns", defaultValue = "2", description = "Turns per session run first and not measured (JIT warm-up) (default: ${DEFAULT-VALUE}).")
  int warmupTurns;

  @Option(names = "--turn-interval-ms", defaultValue = "5000", description = "Intended time between turn starts in a session: a conversational pace (default: ${DEFAULT-VALUE}).")
  int turnIntervalMs;

  @Option(names = "--ramp-up-ms", description = "Session starts spread over this time (default: one turn interval, for an even turn rate).")
  Integer rampUpMs;

  @Option(names = "--connect-allowance-ms", defaultValue = "1000", description = "Time from a session's start to its first intended turn (default: ${DEFAULT-VALUE}).")
  int connectAllowanceMs;

  @Option(names = "--token-delay-ms", defaultValue = "5", description = "Synthetic engine: delay before each token (default: ${DEFAULT-VALUE}).")
  int tokenDelayMs;

  @Option(names = "--opener-words", defaultValue = "3", description = "Opener words per turn, 0 to 5 (default: ${DEFAULT-VALUE}).")
  int openerWords;

  @Option(names = "--max-tokens", defaultValue = "16", description = "Reply length cap (overture.handoff.max-output-tokens) (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--duration", defaultValue = "180", description = "Hard cap in seconds; unfinished sessions count as failed (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--property", description = "Extra service property key=value (repeatable), e.g. overture.embedded.threads=2.")
  Map<String, String> extraProperties = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (!"synthetic".equals(engine) && !"embedded".equals(engine)) {
      throw new IllegalArgumentException("--engine must be synthetic or embedded, got " + engine);
    }
    if ("embedded".equals(engine) && (model == null || !Files.isRegularFile(model))) {
      throw new IllegalArgumentException("--engine embedded needs --model FILE (an existing GGUF file)");
    }
    if (sessions < 1 || turns < 1) {
      throw new IllegalArgumentException("--sessions and --turns must be at least 1, got " + sessions + " and " + turns);
    }
    if (warmupTurns < 0) {
      throw new IllegalArgumentException("--warmup-turns cannot be negative, got " + warmupTurns);
    }
    if (openerWords < 0 || openerWords > OPENER.length) {
      throw new IllegalArgumentException("--opener-words must be 0 to " + OPENER.length + ", got " + openerWords);
    }
    if (durationSeconds < 1) {
      throw new IllegalArgumentException("--duration must be at least 1 second, got " + durationSeconds);
    }
    PrintStream out = System.out;
    String apiKey = "bench-" + UUID.randomUUID();
    EngineClock clock = new EngineClock();
    long started = System.nanoTime();
    try (ConfigurableApplicationContext service = startService(apiKey, clock)) {
      int port = ((WebServerApplicationContext) service).getWebServer().getPort();
      ContinuationEngine running = service.getBean(ContinuationEngine.class);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!running.ready() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (!running.ready()) {
        throw new IllegalStateException("the engine did not become ready within 60 s");
      }
      System.err.printf(Locale.ROOT, "service up on 127.0.0.1:%d in %d ms (engine %s, model %s); %d sessions x %d turns...%n",
          port, (System.nanoTime() - started) / 1_000_000, running.kind(), running.modelId(), sessions, warmupTurns + turns);
      Results results = runLoad(port, apiKey, clock);
      MeterRegistry registry = service.getBeanProvider(MeterRegistry.class).getIfUnique();
      Timer serverFirstWord = registry == null ? null : registry.find("overture.turn.first.word").timer();
      report(out, results, serverFirstWord);
      return 0;
    }
  }

  // ---- The service, in-process. ----

  private ConfigurableApplicationContext startService(String apiKey, EngineClock clock) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", "0");
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    // Neither built-in engine bean: the bench registers the timed one itself.
    properties.put("overture.engine.kind", "bench-" + engine);
    properties.put("overture.security.api-keys", apiKey);
    properties.put("overture.security.requests-per-second", String.valueOf(Math.max(100, sessions * 10)));
    properties.put("overture.security.burst", String.valueOf(Math.max(100, sessions * 2)));
    properties.put("overture.admission.max-concurrent-turns", String.valueOf(sessions));
    properties.put("overture.admission.queue-length", String.valueOf(sessions));
    properties.put("overture.handoff.max-output-tokens", String.valueOf(maxTokens));
    if (model != null) {
      properties.put("overture.embedded.model-path", model.toAbsolutePath().toString());
    }
    properties.putAll(extraProperties);
    // As command-line arguments: they must win over the service's own application.yaml.
    String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    return new SpringApplicationBuilder(CloudServiceApplication.class)
        .web(WebApplicationType.REACTIVE)
        .initializers(context -> {
          ContinuationEngine inner = "synthetic".equals(engine)
              ? new SyntheticEngine(Duration.ofMillis(tokenDelayMs))
              : EmbeddedEngine.start(Binder.get(context.getEnvironment())
                  .bindOrCreate("overture.embedded", EmbeddedProperties.class));
          ((GenericApplicationContext) context).registerBean(
              ContinuationEngine.class, () -> new TimedEngine(inner, clock), bd -> bd.setDestroyMethodName("close"));
        })
        .run(args);
  }

  // ---- The load. ----

  private Results runLoad(int port, String apiKey, EngineClock clock) throws InterruptedException {
    Results results = new Results(sessions);
    // The client gets its own event loop, so that it does not queue behind the server's.
    LoopResources loops = LoopResources.create("bench-client", 1, true);
    Scheduler timers = Schedulers.newSingle("bench-schedule", true);
    HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
        .runOn(loops)
        .headers(h -> h.set("Authorization", "Bearer " + apiKey));
    EventCodec codec = new EventCodec(new Jackson3Binding());
    int rampUp = rampUpMs != null ? rampUpMs : turnIntervalMs;
    CountDownLatch finished = new CountDownLatch(sessions);
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    List<LoadSession> all = new ArrayList<>();
    List<Disposable> connections = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      long start = t0 + TimeUnit.MILLISECONDS.toNanos((long) rampUp * i / sessions);
      LoadSession session = new LoadSession(i, start, codec, clock, results, timers, finished);
      all.add(session);
      connections.add(Mono.delay(Duration.ofNanos(Math.max(0, start - System.nanoTime())), timers)
          .flatMap(tick -> session.connect(http, port))
          .subscribe(done -> {}, session::connectionFailed, session::connectionClosed));
    }
    Thread probe = Thread.ofPlatform().daemon().name("bench-hiccups").start(() -> probeHiccups(results));
    long cpuBefore = processCpuNanos();
    boolean inTime = finished.await(durationSeconds, TimeUnit.SECONDS);
    results.wallNanos = System.nanoTime() - t0;
    results.cpuNanos = processCpuNanos() - cpuBefore;
    probe.interrupt();
    if (!inTime) {
      for (LoadSession session : all) {
        session.fail("duration cap of " + durationSeconds + " s reached");
      }
    }
    connections.forEach(Disposable::dispose);
    loops.disposeLater().block(Duration.ofSeconds(5));
    timers.dispose();
    return results;
  }

  /** CPU time of this whole process (load generator and service), or -1 where the JVM cannot tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  /**
   * Measures how late this machine wakes a thread that sleeps 1 ms (as jHiccup does), for as long
   * as the load runs: the stalls every latency above also suffers (CPU contention, GC, the OS).
   */
  private static void probeHiccups(Results results) {
    long sleep = TimeUnit.MILLISECONDS.toNanos(1);
    while (!Thread.currentThread().isInterrupted()) {
      long before = System.nanoTime();
      LockSupport.parkNanos(sleep);
      results.recordHiccup(System.nanoTime() - before - sleep);
    }
  }

  /** One device: connects, starts the session, runs the turns on schedule, checks every frame. */
  private final class LoadSession {
    private final int index;
    private final long start;
    private final DeviceSession protocol;
    private final EngineClock clock;
    private final Results results;
    private final Scheduler timers;
    private final CountDownLatch finished;
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<Boolean> closing = Sinks.one();
    private long eventIds;
    private int turn = -1;
    private long intended;
    private long sent;
    private boolean deltaSeen;
    private String opener = "";
    private String userText;
    private boolean done;

    LoadSession(int index, long start, EventCodec codec, EngineClock clock, Results results, Scheduler timers,
        CountDownLatch finished) {
      this.index = index;
      this.start = start;
      this.protocol = new DeviceSession(codec);
      this.clock = clock;
      this.results = results;
      this.timers = timers;
      this.finished = finished;
    }

    Mono<Void> connect(HttpClient http, int port) {
      return http.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(262_144).build())
          .uri("ws://127.0.0.1:" + port + "/v1/handoff")
          .handle((in, out) -> {
            synchronized (this) {
              send(new SessionStart(nextId(), protocol.nextSeq(), List.of(ProtocolVersion.CURRENT),
                  new ClientInfo("overture-bench", "1", "jvm", null)));
            }
            Mono<Void> sending = out.sendString(outbound.asFlux()).then();
            // Either side may end the connection; the other direction then ends too.
            Mono<Void> receiving = in.receive().asString().doOnNext(this::onFrame).takeUntilOther(closing.asMono())
                .doFinally(signal -> outbound.tryEmitComplete()).then();
            return Mono.when(sending, receiving);
          })
          .then();
    }

    synchronized void onFrame(String frame) {
      if (done) {
        return;
      }
      results.serverEvents.increment();
      ServerEvent event;
      try {
        event = protocol.receive(frame);
      } catch (ProtocolException e) {
        if (e.code() == ErrorCode.SEQUENCE_MISMATCH) {
          results.lost.increment();
        } else {
          results.misordered.increment();
        }
        fail("rejected a frame: " + e.code() + " " + e.getMessage());
        return;
      }
      long now = System.nanoTime();
      if (event instanceof SessionStarted) {
        scheduleTurn(0);
      } else if (event instanceof OpenerRewind rewind) {
        // This device has spoken nothing yet (no playback.progress), so it keeps what the cloud asks.
        send(new OpenerRewindAck(nextId(), protocol.nextSeq(), rewind.turnId(), rewind.keepWords()));
      } else if (event instanceof ContinuationDelta) {
        if (!deltaSeen) {
          deltaSeen = true;
          long engineNanos = clock.engineNanos(userText);
          if (turn >= warmupTurns) {
            results.recordFirstDelta(now - intended, now - sent, engineNanos);
          }
        }
      } else if (event instanceof ContinuationDone doneEvent) {
        turnDone(doneEvent);
      } else if (event instanceof ErrorEvent error) {
        results.errorEvent(error.code());
        if (error.fatal()) {
          fail("fatal error event: " + error.code() + " " + error.message());
        }
      } else if (event instanceof GoAway) {
        fail("the service sent go_away");
      }
    }

    private void turnDone(ContinuationDone doneEvent) {
      if (doneEvent.status() != DoneStatus.COMPLETED && doneEvent.status() != DoneStatus.TRUNCATED) {
        fail("turn " + turn + " ended " + doneEvent.status()
            + (doneEvent.failure() == null ? "" : ": " + doneEvent.failure().code() + " " + doneEvent.failure().message()));
        return;
      }
      if (!deltaSeen) {
        results.lost.increment();
        fail("turn " + turn + " ended without a continuation.delta");
        return;
      }
      String reply = protocol.currentReply();
      if ("synthetic".equals(engine) && !reply.equals(SyntheticEngine.reply(opener, maxTokens))) {
        results.lost.increment(); // a delta went missing or arrived garbled
        fail("turn " + turn + " reply was '" + reply + "'");
        return;
      }
      results.turnsCompleted.increment();
      if (turn + 1 < warmupTurns + turns) {
        scheduleTurn(turn + 1);
      } else {
        finish(null);
      }
    }

    /** Starts turn {@code k} at its intended time, or at once when already late. */
    private void scheduleTurn(int k) {
      long planned = start + TimeUnit.MILLISECONDS.toNanos(connectAllowanceMs + (long) k * turnIntervalMs);
      long now = System.nanoTime();
      if (k > 0 && now > planned) {
        // The protocol lets a turn start only after the previous one's done: the plan moves.
        results.overran.increment();
      }
      long at = k > 0 ? Math.max(planned, now) : planned;
      timers.schedule(() -> startTurn(k, at), Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private synchronized void startTurn(int k, long intendedCommit) {
      if (done) {
        return;
      }
      turn = k;
      intended = intendedCommit;
      deltaSeen = false;
      String turnId = "t" + k;
      userText = "Bench session " + index + " turn " + k + ": do you like music?";
      send(new TurnStart(nextId(), protocol.nextSeq(), turnId));
      send(new InputPartial(nextId(), protocol.nextSeq(), turnId, 1, "Bench session " + index));
      send(new InputFinal(nextId(), protocol.nextSeq(), turnId, userText));
      StringBuilder words = new StringBuilder();
      for (int w = 0; w < openerWords; w++) {
        send(new OpenerWord(nextId(), protocol.nextSeq(), turnId, w, OPENER[w]));
        words.append(OPENER[w]);
      }
      opener = words.toString();
      sent = System.nanoTime();
      send(new OpenerCommit(nextId(), protocol.nextSeq(), turnId, openerWords, opener));
    }

    private void send(ClientEvent event) {
      try {
        outbound.tryEmitNext(protocol.send(event));
        results.clientEvents.increment();
      } catch (ProtocolException e) {
        results.misordered.increment();
        fail("the client's own event was refused: " + e.getMessage());
      }
    }

    private String nextId() {
      return "c-" + (++eventIds);
    }

    synchronized void connectionFailed(Throwable error) {
      fail("connection failed: " + error);
    }

    synchronized void connectionClosed() {
      if (!done) {
        fail("the connection closed after " + (turn + 1) + " turns");
      }
    }

    synchronized void fail(String why) {
      finish(why);
    }

    private void finish(String failure) {
      if (done) {
        return;
      }
      done = true;
      results.sessionEnded(index, failure);
      outbound.tryEmitComplete();
      closing.tryEmitValue(Boolean.TRUE);
      finished.countDown();
    }
  }

  // ---- Results. ----

  /** Everything measured, from any thread. Histograms hold microseconds. */
  private static final class Results {
    final Histogram overhead = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    final Histogram overheadFromSend = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    final Histogram commitToDelta = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    final Histogram engineTime = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    final Histogram hiccups = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    final LongAdder lost = new LongAdder();
    final LongAdder misordered = new LongAdder();
    final LongAdder turnsCompleted = new LongAdder();
    final LongAdder overran = new LongAdder();
    final LongAdder clientEvents = new LongAdder();
    final LongAdder serverEvents = new LongAdder();
    final AtomicLong negativeOverheads = new AtomicLong();
    final Map<String, Integer> errorEvents = new TreeMap<>();
    final Map<Integer, String> failures = new TreeMap<>();
    final int sessions;
    int held;
    long wallNanos;
    long cpuNanos;

    Results(int sessions) {
      this.sessions = sessions;
    }

    synchronized void recordFirstDelta(long sinceIntended, long sinceSent, long engineNanos) {
      long over = sinceIntended - engineNanos;
      if (over < 0) {
        negativeOverheads.incrementAndGet();
        over = 0;
      }
      overhead.recordValue(micros(over));
      overheadFromSend.recordValue(micros(Math.max(0, sinceSent - engineNanos)));
      commitToDelta.recordValue(micros(sinceIntended));
      engineTime.recordValue(micros(engineNanos));
    }

    synchronized void recordHiccup(long nanos) {
      hiccups.recordValue(micros(nanos));
    }

    synchronized void errorEvent(ErrorCode code) {
      errorEvents.merge(code.wireName(), 1, Integer::sum);
    }

    synchronized void sessionEnded(int index, String failure) {
      if (failure == null) {
        held++;
      } else {
        failures.put(index, failure);
      }
    }

    private static long micros(long nanos) {
      return Math.min(TimeUnit.SECONDS.toMicros(60), Math.max(0, nanos / 1000));
    }
  }

  private void report(PrintStream out, Results r, Timer serverFirstWord) {
    synchronized (r) {
      out.printf(Locale.ROOT, "JVM %s %s, %d cores, %s; engine %s%s, %d sessions x (%d warm-up + %d measured) turns, turn interval %d ms, %d opener words%n",
          System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
          LocalDate.now(), engine, "synthetic".equals(engine) ? " (token delay " + tokenDelayMs + " ms)" : " (" + model.getFileName() + ")",
          sessions, warmupTurns, turns, turnIntervalMs, openerWords);
      List<String[]> rows = new ArrayList<>();
      rows.add(row("sessions held without error", r.held + " / " + r.sessions, "200",
          ratio(r.held, TARGET_SESSIONS)));
      rows.add(row("turns completed (warm-up included)", r.turnsCompleted.sum() + " / " + (long) r.sessions * (warmupTurns + turns), "", ""));
      rows.add(row("turns whose predecessor overran the interval", String.valueOf(r.overran.sum()), "", ""));
      rows.add(row("events lost", String.valueOf(r.lost.sum()), "0", r.lost.sum() == 0 ? "ok" : "FAIL"));
      rows.add(row("events misordered", String.valueOf(r.misordered.sum()), "0", r.misordered.sum() == 0 ? "ok" : "FAIL"));
      rows.add(row("events sent / received", r.clientEvents.sum() + " / " + r.serverEvents.sum(), "", ""));
      rows.add(row("error events", r.errorEvents.isEmpty() ? "none" : r.errorEvents.toString(), "", ""));
      for (double p : new double[] {50, 90, 99}) {
        rows.add(row("overhead p" + (int) p + " ms", ms(r.overhead.getValueAtPercentile(p)),
            p == 99 ? "< 5" : "", p == 99 ? ratio(r.overhead.getValueAtPercentile(p) / 1000.0, TARGET_OVERHEAD_P99_MS) : ""));
      }
      rows.add(row("overhead max ms", ms(r.overhead.getMaxValue()), "", ""));
      rows.add(row("overhead p99 from actual send ms", ms(r.overheadFromSend.getValueAtPercentile(99)), "", ""));
      rows.add(row("commit to first delta p50 / p99 ms",
          ms(r.commitToDelta.getValueAtPercentile(50)) + " / " + ms(r.commitToDelta.getValueAtPercentile(99)), "", ""));
      rows.add(row("engine time p50 / p99 ms",
          ms(r.engineTime.getValueAtPercentile(50)) + " / " + ms(r.engineTime.getValueAtPercentile(99)), "", ""));
      if (serverFirstWord != null && serverFirstWord.count() > 0) {
        StringBuilder server = new StringBuilder();
        for (ValueAtPercentile v : serverFirstWord.takeSnapshot().percentileValues()) {
          server.append(server.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", v.value(TimeUnit.MILLISECONDS)));
        }
        rows.add(row("server-side commit to first delta p50/p90/p99 ms", server.toString(), "", ""));
      }
      rows.add(row("platform hiccup (1 ms sleep overshoot) p50 / p99 / max ms",
          ms(r.hiccups.getValueAtPercentile(50)) + " / " + ms(r.hiccups.getValueAtPercentile(99)) + " / "
              + ms(r.hiccups.getMaxValue()), "", ""));
      long turnsDone = r.turnsCompleted.sum();
      rows.add(row("process CPU per turn ms (load generator + service)",
          r.cpuNanos < 0 || turnsDone == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", r.cpuNanos / 1e6 / turnsDone), "", ""));
      rows.add(row("wall time s", String.format(Locale.ROOT, "%.1f", r.wallNanos / 1e9), "", ""));
      printTable(out, rows);
      out.printf(Locale.ROOT, "%noverhead = (first continuation.delta received - intended commit time) - engine time "
          + "(opener scoring + continueReply to first chunk, timed inside the process); %d samples, %d clamped at 0.%n",
          r.overhead.getTotalCount(), r.negativeOverheads.get());
      boolean met = r.held >= TARGET_SESSIONS && r.lost.sum() == 0 && r.misordered.sum() == 0
          && r.overhead.getValueAtPercentile(99) / 1000.0 < TARGET_OVERHEAD_P99_MS;
      out.println("target (200 sessions, 0 lost or misordered, overhead p99 < 5 ms): " + (met ? "met" : "NOT met"));
      int shown = 0;
      for (Map.Entry<Integer, String> failure : r.failures.entrySet()) {
        if (shown++ == 10) {
          out.println("... " + (r.failures.size() - 10) + " more failed sessions");
          break;
        }
        out.println("session " + failure.getKey() + " failed: " + failure.getValue());
      }
    }
  }

  private static String[] row(String metric, String value, String target, String ratio) {
    return new String[] {metric, value, target, ratio};
  }

  private static String ms(double micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }

  private static String ratio(double value, double target) {
    return String.format(Locale.ROOT, "%.2f", value / target);
  }

  private static void printTable(PrintStream out, List<String[]> rows) {
    String[] header = {"metric", "value", "target", "ratio"};
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    out.println(line(header, width));
    String[] rule = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      rule[i] = "-".repeat(width[i]);
    }
    out.println(line(rule, width));
    for (String[] r : rows) {
      out.println(line(r, width));
    }
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      line.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(" |");
    }
    return line.toString();
  }

  // ---- Engines. ----

  /**
   * The engine's own time per turn, keyed by the turn's user text (unique per session and turn):
   * opener scoring plus the time from subscribing to {@code continueReply} to its first non-empty
   * chunk. Same clock as the client ({@link System#nanoTime()}, one process).
   */
  private static final class EngineClock {
    private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

    void add(String userText, long elapsed) {
      nanos.computeIfAbsent(userText, k -> new AtomicLong()).addAndGet(elapsed);
    }

    long engineNanos(String userText) {
      AtomicLong value = nanos.remove(userText);
      return value == null ? 0 : value.get();
    }
  }

  /** Wraps the service's engine and times it into an {@link EngineClock}. */
  private static final class TimedEngine extends ForwardingEngine {
    private final EngineClock clock;

    TimedEngine(ContinuationEngine engine, EngineClock clock) {
      super(engine);
      this.clock = clock;
    }

    @Override
    protected EngineConversation wrap(EngineConversation conversation) {
      return new ForwardingConversation(conversation) {
        @Override
        public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
          return Mono.defer(() -> {
            long t0 = System.nanoTime();
            return super.scoreOpener(context, openerWords)
                .doOnNext(score -> clock.add(context.userText(), System.nanoTime() - t0));
          });
        }

        @Override
        public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
          return Flux.defer(() -> {
            long t0 = System.nanoTime();
            boolean[] first = {true};
            return super.continueReply(request).doOnNext(chunk -> {
              if (first[0] && !chunk.text().isEmpty()) {
                first[0] = false;
                clock.add(request.context().userText(), System.nanoTime() - t0);
              }
            });
          });
        }
      };
    }
  }

  /** Answers every turn with {@link #CONTINUATION}, one word per token, each after a fixed delay. */
  private static final class SyntheticEngine implements ContinuationEngine {
    private static final List<String> TOKENS = tokens();
    private final Duration tokenDelay;

    SyntheticEngine(Duration tokenDelay) {
      this.tokenDelay = tokenDelay;
    }

    private static List<String> tokens() {
      List<String> tokens = new ArrayList<>();
      for (String word : CONTINUATION.substring(1).split(" ")) {
        tokens.add(" " + word);
      }
      return Collections.unmodifiableList(tokens);
    }

    /** The tokens of one reply: at most {@code maxTokens}, the first without its space after no prefix. */
    static List<String> tokens(String prefix, int maxTokens) {
      List<String> tokens = new ArrayList<>(TOKENS.subList(0, Math.min(TOKENS.size(), maxTokens)));
      if (prefix.isEmpty() && !tokens.isEmpty()) {
        tokens.set(0, tokens.get(0).substring(1));
      }
      return tokens;
    }

    /** The whole reply a device must end up with after {@code opener}. */
    static String reply(String opener, int maxTokens) {
      return opener + String.join("", tokens(opener, maxTokens));
    }

    @Override
    public String kind() {
      return "synthetic";
    }

    @Override
    public String modelId() {
      return "bench-synthetic";
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public EngineConversation open(String conversationId) {
      return new EngineConversation() {
        @Override
        public void updateContext(ConversationContext context) {}

        @Override
        public Mono<OpenerScore> scoreOpener(ConversationContext context, List<String> openerWords) {
          return Mono.just(OpenerScore.unscored());
        }

        @Override
        public Flux<ContinuationChunk> continueReply(ContinuationRequest request) {
          List<String> tokens = tokens(request.assistantPrefix(), request.maxTokens());
          int prompt = request.context().userText().length() / 4 + 1;
          Flux<ContinuationChunk> chunks =
              Flux.range(0, tokens.size()).map(i -> new ContinuationChunk(tokens.get(i), prompt, i + 1));
          return tokenDelay.isZero() ? chunks : chunks.delayElements(tokenDelay);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {}
  }
}

package dev.overture.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContextHistory;
import dev.overture.protocol.ContinuationDelta;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.Failure;
import dev.overture.protocol.GoAway;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.InputFinal;
import dev.overture.protocol.OpenerAccept;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.OpenerRepair;
import dev.overture.protocol.OpenerRewind;
import dev.overture.protocol.OpenerRewindAck;
import dev.overture.protocol.Ping;
import dev.overture.protocol.Pong;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ProtocolVersion;
import dev.overture.protocol.Role;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionResumed;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.TurnEvent;
import dev.overture.protocol.TurnStart;
import dev.overture.protocol.TurnTruncate;
import dev.overture.protocol.TurnTruncated;
import dev.overture.protocol.Usage;
import dev.overture.protocol.Words;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson2.Jackson2Binding;
import dev.overture.protocol.session.CloudSession;
import dev.overture.protocol.session.SessionPhase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.internal.ws.RealWebSocket;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A scripted cloud for the agent's tests: a {@link MockWebServer} that plays the cloud's side of
 * the handoff protocol with the reference state machine ({@link CloudSession}), so that every
 * event it sends is well formed and correctly numbered, and every event the agent sends is checked
 * as the real cloud checks it. Register it as an extension; after each test it fails the test if
 * the agent broke the protocol or a script threw.
 *
 * <p>The stub answers the protocol's obligations itself (session start and resume with replay,
 * pings, {@code continuation.done} after a cancel, {@code turn.truncated}); a test scripts the rest
 * of every turn, either with {@link #onTurn} (a script per turn, on a thread of its own for the
 * WebSocket, inline for {@code POST /v1/continue}) or step by step from the test thread with
 * {@link #nextTurn}. It also injects faults: dropped connections, lost frames, forgotten sessions,
 * refused upgrades, unknown and malformed frames, {@code session.go_away}.
 *
 * <p>It serves one conversation at a time. It keeps the history each session holds by the
 * protocol's own rules (docs/protocol.md, "The cloud's history"), built from its events only.
 */
final class StubCloud implements BeforeEachCallback, AfterEachCallback {

  /** The longest any wait in these tests may take: generous, the build machine is shared and slow. */
  static final long TIMEOUT_MILLIS = 20_000;

  /** A cloud's part in one turn. */
  @FunctionalInterface
  interface Script {
    void play(CloudTurn turn) throws Exception;
  }

  private final EventCodec codec = new EventCodec(new Jackson2Binding());
  private final MockWebServer server = new MockWebServer();
  private final ExecutorService scripts = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "stub-cloud-script");
    thread.setDaemon(true);
    return thread;
  });

  // Guarded by this.
  private final List<Session> sessions = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private final List<ClientEvent> received = new ArrayList<>();
  private final List<CloudTurn> turns = new ArrayList<>();
  private final List<ContinueRequest> continueRequests = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private Session session;
  private Connection connection;
  private List<Script> scriptsToPlay;
  private ProtocolLimits limits = ProtocolLimits.defaults();
  private int handoffRequests;
  private int refuseWebSockets;
  private int refuseOneShots;
  private boolean forgetSessions;
  private boolean blackhole;
  private Predicate<ClientEvent> dropAfter;
  private int replayed;
  private int eventIds;
  private boolean closing;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals("/v1/handoff")) {
          return handoff();
        }
        if (path.equals("/v1/continue")) {
          return oneShot(request.getBody() == null ? "" : request.getBody().utf8());
        }
        return new MockResponse.Builder().code(404).build();
      }
    });
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (this) {
      if (context.getExecutionException().isEmpty()) {
        // The agents closed before (their extension comes later): so did every socket of theirs.
        awaitUntil(() -> openConnections() == 0, "the agents' connections to close");
      }
      closing = true; // frames still in flight when the server stops are no violations
    }
    scripts.shutdownNow();
    server.close();
    synchronized (this) {
      AssertionError failure = null;
      if (!violations.isEmpty()) {
        failure = new AssertionError("the agent broke the protocol: " + violations);
      } else if (!failures.isEmpty()) {
        failure = new AssertionError("a cloud script failed: " + failures.get(0), failures.get(0));
      }
      if (failure != null && context.getExecutionException().isEmpty()) {
        throw failure;
      }
    }
  }

  /** The base URL to give {@link OvertureAgent.Builder#cloud}. */
  String url() {
    return server.url("/").toString();
  }

  // ---- Scripting. ----

  /** The turns from now on are played by {@code first}, then {@code later} in order; the last one plays the rest. */
  synchronized void onTurn(Script first, Script... later) {
    this.scriptsToPlay = new ArrayList<>();
    scriptsToPlay.add(first);
    scriptsToPlay.addAll(List.of(later));
  }

  /** The announced limits are {@code limits} from the next session on. */
  synchronized void announce(ProtocolLimits limits) {
    this.limits = limits;
  }

  /** The next WebSocket turn no script took, once the agent started it; the test thread plays it. */
  synchronized CloudTurn nextTurn() {
    awaitUntil(() -> unclaimedTurn() != null, "a turn to start");
    CloudTurn turn = unclaimedTurn();
    turn.claimed = true;
    return turn;
  }

  private CloudTurn unclaimedTurn() {
    for (CloudTurn turn : turns) {
      if (!turn.claimed && !turn.oneShot()) {
        return turn;
      }
    }
    return null;
  }

  /** Every turn so far, WebSocket and one-shot, in the order they started. */
  synchronized List<CloudTurn> turns() {
    return new ArrayList<>(turns);
  }

  // ---- Faults. ----

  /** Upgrades to {@code /v1/handoff} are answered with {@code status} from now on (0: accepted again). */
  synchronized void refuseWebSockets(int status) {
    refuseWebSockets = status;
  }

  /** Requests to {@code /v1/continue} are answered with {@code status} and an error event (0: served again). */
  synchronized void refuseOneShots(int status) {
    refuseOneShots = status;
  }

  /** A {@code session.resume} is answered with the fatal {@code unknown_session} from now on. */
  synchronized void forgetSessions() {
    forgetSessions = true;
  }

  /**
   * The connection dies without either side noticing yet: what the cloud sends from now on is
   * recorded by its session but never reaches the device (until {@link #dropConnection}).
   */
  synchronized void blackhole() {
    blackhole = true;
  }

  /**
   * Cuts the connection now, as a network failure would; the session stays resumable. What the
   * scripts send until the device resumes is held and follows the replay.
   */
  synchronized void dropConnection() {
    Connection dropped = connection;
    if (dropped == null) {
      return;
    }
    connection = null;
    blackhole = false;
    dropped.deaf = true;
    session.protocol.connectionLost();
    // WebSocket.cancel() needs a client's call; failing the socket closes it as abruptly.
    ((RealWebSocket) dropped.socket).failWebSocket(new IOException("the stub cloud drops the connection"), null, false);
    notifyAll();
  }

  /**
   * Cuts the connection right after the cloud consumed the first event {@code trigger} accepts;
   * the device's frames still in flight are lost, so it must resend them after the resume.
   */
  synchronized void dropAfter(Predicate<ClientEvent> trigger) {
    dropAfter = trigger;
  }

  /** Announces {@code session.go_away} on the current connection. */
  synchronized void goAway() throws ProtocolException {
    write(session.protocol.send(new GoAway(nextEventId(), 0, 1_000, "stub cloud redeploys")));
  }

  // ---- What happened. ----

  /** Waits until a session was started or resumed on an open connection. */
  synchronized void awaitConnected() {
    awaitUntil(() -> connection != null && session.protocol.phase() == SessionPhase.ESTABLISHED, "a connected session");
  }

  /** Waits until {@code count} sessions were started. */
  synchronized void awaitSessions(int count) {
    awaitUntil(() -> sessions.size() >= count && connection != null, count + " sessions");
  }

  /** Waits until the agent tried {@code count} WebSocket upgrades. */
  synchronized void awaitHandoffRequests(int count) {
    awaitUntil(() -> handoffRequests >= count, count + " upgrade requests");
  }

  /** Waits until no connection is open any more. */
  synchronized void awaitNoConnection() {
    awaitUntil(() -> openConnections() == 0, "every connection closed");
  }

  /** Every client event the cloud consumed, in order, across connections and sessions. */
  synchronized List<ClientEvent> received() {
    return new ArrayList<>(received);
  }

  /** The first client event of {@code type} the cloud consumed, once it did. */
  synchronized <T extends ClientEvent> T await(Class<T> type) {
    awaitUntil(() -> !received(type).isEmpty(), type.getSimpleName());
    return received(type).get(0);
  }

  /** The client events of {@code type} the cloud consumed. */
  synchronized <T extends ClientEvent> List<T> received(Class<T> type) {
    List<T> matching = new ArrayList<>();
    for (ClientEvent event : received) {
      if (type.isInstance(event)) {
        matching.add(type.cast(event));
      }
    }
    return matching;
  }

  /** The requests {@code POST /v1/continue} received. */
  synchronized List<ContinueRequest> continueRequests() {
    return new ArrayList<>(continueRequests);
  }

  synchronized int sessionCount() {
    return sessions.size();
  }

  synchronized int connectionCount() {
    return connections.size();
  }

  synchronized int openConnections() {
    int open = 0;
    for (Connection each : connections) {
      if (each.open) {
        open++;
      }
    }
    return open;
  }

  synchronized int handoffRequests() {
    return handoffRequests;
  }

  /** How many server events were replayed on resumes. */
  synchronized int replayed() {
    return replayed;
  }

  /**
   * The history the current WebSocket session holds, by the protocol's rules: each finished turn
   * adds the user's final text and its reply (or the {@code turn.truncated} text), a {@code
   * context.history} replaces everything before it, a reply without words adds nothing.
   */
  synchronized List<HistoryItem> history() {
    return session == null ? new ArrayList<>() : replay(session.turns.size());
  }

  /**
   * The history the current session answered its turn {@code index} with: the {@code
   * context.history} the turn brought, or what the turns before it left.
   */
  synchronized List<HistoryItem> historyFor(int index) {
    CloudTurn turn = session.turns.get(index);
    return turn.context != null ? new ArrayList<>(turn.context) : replay(index);
  }

  /** The history the session's first {@code count} turns leave, by the rules of {@link #history}. */
  private List<HistoryItem> replay(int count) {
    List<HistoryItem> history = new ArrayList<>();
    for (CloudTurn turn : session.turns.subList(0, count)) {
      if (turn.context != null) {
        history = new ArrayList<>(turn.context);
      }
      if (!turn.doneSent) {
        continue;
      }
      if (turn.userText != null) {
        history.add(new HistoryItem(Role.USER, turn.userText));
      }
      String reply = turn.truncatedText != null ? turn.truncatedText : turn.reply;
      if (Words.count(reply) > 0) {
        history.add(new HistoryItem(Role.ASSISTANT, reply));
      }
    }
    return history;
  }

  /**
   * Waits until the device's history, the cloud's history as the device mirrors it, and this
   * cloud's own history are the same, and fails if they do not become so.
   */
  void assertHistoriesAgree(Conversation conversation) throws Exception {
    long end = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
    while (true) {
      List<HistoryItem> device = conversation.history();
      List<HistoryItem> mirrored = Agents.await(conversation.cloudHistory());
      List<HistoryItem> cloud = history();
      if ((device.equals(cloud) && mirrored.equals(cloud)) || System.nanoTime() > end) {
        assertEquals(cloud, device, "device history vs the cloud's");
        assertEquals(cloud, mirrored, "the device's mirror of the cloud history vs the cloud's");
        return;
      }
      Thread.sleep(10);
    }
  }

  // ---- Connections (on MockWebServer's threads). ----

  private synchronized MockResponse handoff() {
    handoffRequests++;
    notifyAll();
    if (refuseWebSockets != 0) {
      return errorResponse(refuseWebSockets);
    }
    return new MockResponse.Builder().webSocketUpgrade(new Connection()).build();
  }

  private MockResponse errorResponse(int status) {
    ErrorCode code = status == 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.OVERLOADED;
    try {
      String body = codec.encode(new ErrorEvent(nextEventId(), 0, code, "stub cloud refuses: HTTP " + status, true, null));
      return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    } catch (ProtocolException e) {
      throw new AssertionError(e);
    }
  }

  /** One WebSocket connection; the session it serves is decided by its first frame. */
  private final class Connection extends WebSocketListener {
    WebSocket socket;
    boolean open;
    /** The cloud no longer reads this connection: frames in flight on it are lost. */
    boolean deaf;

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      synchronized (StubCloud.this) {
        socket = webSocket;
        open = true;
        connections.add(this);
        StubCloud.this.notifyAll();
      }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      received(this, text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
      lost(this);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      lost(this);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      lost(this);
    }
  }

  private synchronized void lost(Connection from) {
    from.open = false;
    if (from == connection) {
      connection = null;
      session.protocol.connectionLost();
    }
    notifyAll();
  }

  private synchronized void received(Connection from, String frame) {
    if (closing || from.deaf || (from != connection && !attach(from, frame))) {
      return;
    }
    Session current = session;
    ClientEvent event;
    try {
      event = current.protocol.receive(frame);
    } catch (ProtocolException e) {
      violations.add(e.code().wireName() + ": " + e.getMessage() + " in " + frame);
      write(ErrorEvent.of(nextEventId(), e));
      if (e.fatal()) {
        from.deaf = true;
        from.socket.close(1008, e.code().wireName());
      }
      notifyAll();
      return;
    }
    received.add(event);
    try {
      answer(current, event);
    } catch (ProtocolException e) {
      failures.add(e);
    }
    if (dropAfter != null && dropAfter.test(event)) {
      dropAfter = null;
      dropConnection();
    }
    notifyAll();
  }

  /**
   * Makes {@code from} the connection of the session its first frame names: a new session for
   * {@code session.start}, the existing one for {@code session.resume}. False when the frame was
   * refused.
   */
  private boolean attach(Connection from, String frame) {
    ClientEvent first;
    try {
      first = codec.decodeClient(frame);
    } catch (ProtocolException e) {
      violations.add("unreadable first frame " + frame);
      return false;
    }
    if (first instanceof SessionStart) {
      session = new Session(new CloudSession(codec), "stub-session-" + (sessions.size() + 1));
      sessions.add(session);
    } else if (first instanceof SessionResume && session != null && !forgetSessions) {
      if (connection != null) {
        // The resume beat the detection of the drop: the new connection wins, as in the cloud.
        connection.deaf = true;
        session.protocol.connectionLost();
      }
    } else if (first instanceof SessionResume) {
      from.deaf = true;
      try {
        from.socket.send(codec.encode(new ErrorEvent(nextEventId(), 0, ErrorCode.UNKNOWN_SESSION, "the stub cloud forgot the session", true, first.eventId())));
      } catch (ProtocolException e) {
        throw new AssertionError(e);
      }
      from.socket.close(1008, "unknown_session");
      return false;
    } else {
      violations.add("a connection starts with " + frame);
      return false;
    }
    connection = from;
    blackhole = false; // a black hole swallows one connection's frames, not the next one's
    return true;
  }

  /** The cloud's side of the protocol's obligations; turn content is left to the scripts. */
  private void answer(Session current, ClientEvent event) throws ProtocolException {
    if (event instanceof SessionStart) {
      ProtocolLimits announced = limits;
      emit(current, seq -> new SessionStarted(nextEventId(), seq, ProtocolVersion.CURRENT, current.id, current.id + "-handle", announced));
    } else if (event instanceof SessionResume) {
      write(current.protocol.send(new SessionResumed(nextEventId(), 0, current.id, current.protocol.lastReceivedSeq())));
      for (ServerEvent replay : current.protocol.pendingReplay()) {
        write(current.protocol.send(replay));
        replayed++;
      }
      List<LongFunction<ServerEvent>> held = new ArrayList<>(current.held);
      current.held.clear();
      for (LongFunction<ServerEvent> build : held) {
        emit(current, build);
      }
    } else if (event instanceof Ping) {
      write(current.protocol.send(new Pong(nextEventId(), 0, event.eventId())));
    } else if (event instanceof TurnStart) {
      startTurn(new CloudTurn(current, ((TurnStart) event).turnId()));
    } else if (event instanceof TurnEvent) {
      CloudTurn turn = current.turn(((TurnEvent) event).turnId());
      if (event instanceof ContextHistory) {
        turn.context = ((ContextHistory) event).items();
      } else if (event instanceof InputFinal) {
        turn.userText = ((InputFinal) event).text();
      } else if (event instanceof OpenerCommit) {
        turn.commit = (OpenerCommit) event;
      } else if (event instanceof TurnCancel) {
        turn.cancelled = true;
        if (!turn.holdCancel) {
          turn.endCancelled();
        }
      } else if (event instanceof TurnTruncate) {
        turn.truncateTo = ((TurnTruncate) event).wordsHeard();
        if (turn.doneSent) {
          turn.truncated();
        }
      }
    }
  }

  private void startTurn(CloudTurn turn) {
    turn.session.turns.add(turn);
    turns.add(turn);
    Script playing = scriptFor(turn);
    if (playing != null && !turn.oneShot()) {
      turn.claimed = true;
      scripts.execute(() -> play(playing, turn));
    }
  }

  /** The script of the {@code n}th turn (of all turns), or null for a turn the test plays itself. */
  private Script scriptFor(CloudTurn turn) {
    if (scriptsToPlay == null) {
      return null;
    }
    return scriptsToPlay.get(Math.min(turns.indexOf(turn), scriptsToPlay.size() - 1));
  }

  private void play(Script playing, CloudTurn turn) {
    try {
      playing.play(turn);
    } catch (Throwable t) {
      synchronized (this) {
        failures.add(t);
      }
    }
  }

  // ---- One-shot requests (on MockWebServer's threads). ----

  private MockResponse oneShot(String body) {
    Script playing;
    CloudTurn turn;
    synchronized (this) {
      if (refuseOneShots != 0) {
        return errorResponse(refuseOneShots);
      }
      ContinueRequest request;
      try {
        request = codec.decodeContinueRequest(body);
        turn = new CloudTurn(new Session(CloudSession.forContinue(codec, request), null), request.turnId());
      } catch (ProtocolException e) {
        violations.add("POST /v1/continue: " + e.getMessage());
        return new MockResponse.Builder().code(400).build();
      }
      continueRequests.add(request);
      turn.context = request.history();
      turn.userText = request.userText();
      String opener = String.join("", request.openerWords());
      turn.commit = new OpenerCommit("implied", 0, request.turnId(), request.openerWords().size(), opener);
      startTurn(turn);
      playing = scriptFor(turn);
      notifyAll();
    }
    if (playing == null) {
      return errorResponse(503);
    }
    play(playing, turn);
    synchronized (this) {
      return new MockResponse.Builder().addHeader("Content-Type", "application/x-ndjson").body(turn.session.body.toString()).build();
    }
  }

  // ---- Sending (holding the lock). ----

  /** Sends a numbered event now, or holds it while the session has no connection (until it is resumed). */
  private void emit(Session to, LongFunction<ServerEvent> build) throws ProtocolException {
    if (to.oneShot) {
      ServerEvent event = build.apply(to.protocol.nextSeq());
      to.body.append(to.protocol.send(event)).append('\n');
      sent(to, event);
      return;
    }
    if (to != session) {
      return; // a session that ended for good: nobody will resume it
    }
    SessionPhase phase = to.protocol.phase();
    if (connection == null || phase == SessionPhase.DISCONNECTED || phase == SessionPhase.RESUMING) {
      to.held.add(build);
      return;
    }
    ServerEvent event = build.apply(to.protocol.nextSeq());
    String frame = to.protocol.send(event);
    if (to.shift > 0) {
      frame = frame.replaceFirst("\"seq\":" + event.seq() + "([,}])", "\"seq\":" + (event.seq() + to.shift) + "$1");
    }
    write(frame);
    sent(to, event);
  }

  /** Bookkeeping of what the cloud's history gains when a turn ends. */
  private void sent(Session from, ServerEvent event) throws ProtocolException {
    if (event instanceof ContinuationDone) {
      CloudTurn turn = from.turn(((ContinuationDone) event).turnId());
      turn.doneSent = true;
      turn.reply = from.protocol.reply(turn.id);
      if (turn.truncateTo >= 0) {
        turn.truncated();
      }
    } else if (event instanceof TurnTruncated) {
      from.turn(((TurnTruncated) event).turnId()).truncatedText = ((TurnTruncated) event).text();
    }
    notifyAll();
  }

  private void writeRaw(Session to, String frame) {
    if (to.oneShot) {
      to.body.append(frame).append('\n');
    } else {
      write(frame);
    }
  }

  private void write(ErrorEvent error) {
    try {
      write(codec.encode(error));
    } catch (ProtocolException e) {
      throw new AssertionError(e);
    }
  }

  private void write(String frame) {
    if (connection != null && !blackhole) {
      connection.socket.send(frame);
    }
  }

  private String nextEventId() {
    return "s-" + (++eventIds);
  }

  private void awaitUntil(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
    try {
      while (!condition.getAsBoolean()) {
        long left = (end - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          throw new AssertionError("stub cloud: timed out waiting for " + what);
        }
        wait(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }

  /** One protocol session of the cloud: a WebSocket session, or one {@code POST /v1/continue}. */
  private static final class Session {
    final CloudSession protocol;
    /** The WebSocket session's id; null for a one-shot request. */
    final String id;
    final boolean oneShot;
    final List<CloudTurn> turns = new ArrayList<>();
    final List<LongFunction<ServerEvent>> held = new ArrayList<>();
    final StringBuilder body = new StringBuilder();
    /** Numbered frames sent around {@link #protocol}, which later frames must count. */
    int shift;

    Session(CloudSession protocol, String id) {
      this.protocol = protocol;
      this.id = id;
      this.oneShot = id == null;
    }

    CloudTurn turn(String id) {
      for (CloudTurn turn : turns) {
        if (turn.id.equals(id)) {
          return turn;
        }
      }
      throw new AssertionError("no turn " + id);
    }
  }

  /** The cloud's side of one turn, for scripts: its verdict, continuation and end. */
  final class CloudTurn {
    final Session session;
    final String id;
    // Guarded by StubCloud.this.
    List<HistoryItem> context;
    String userText;
    OpenerCommit commit;
    boolean claimed;
    boolean cancelled;
    boolean holdCancel;
    boolean doneSent;
    String reply;
    int truncateTo = -1;
    String truncatedText;

    CloudTurn(Session session, String id) {
      this.session = session;
      this.id = id;
    }

    /** The opener's commit, once the device sent it (a one-shot request implies it). */
    OpenerCommit awaitCommit() {
      synchronized (StubCloud.this) {
        awaitUntil(() -> commit != null, "the commit of " + id);
        return commit;
      }
    }

    /** The first event of {@code type} about this turn the cloud consumed, once it did. */
    <T extends ClientEvent> T await(Class<T> type) {
      return await(type, event -> true);
    }

    /** The first event of {@code type} about this turn that {@code test} accepts, once consumed. */
    <T extends ClientEvent> T await(Class<T> type, Predicate<? super T> test) {
      synchronized (StubCloud.this) {
        awaitUntil(() -> find(type, test) != null, type.getSimpleName() + " of " + id);
        return find(type, test);
      }
    }

    private <T extends ClientEvent> T find(Class<T> type, Predicate<? super T> test) {
      for (ClientEvent event : received) {
        if (type.isInstance(event) && id.equals(((TurnEvent) event).turnId()) && test.test(type.cast(event))) {
          return type.cast(event);
        }
      }
      return null;
    }

    String id() {
      return id;
    }

    /** Whether the turn is a {@code POST /v1/continue} request. */
    boolean oneShot() {
      return session.oneShot;
    }

    /** The history a {@code context.history} (or a one-shot request) gave with this turn, or null. */
    List<HistoryItem> context() {
      synchronized (StubCloud.this) {
        return context;
      }
    }

    /** The reply this cloud holds for the turn once it ended: kept opener and continuation. */
    String reply() {
      synchronized (StubCloud.this) {
        return reply;
      }
    }

    /**
     * Plays a cloud that has not read the device's {@code turn.cancel} yet: the turn is not ended
     * for it until the script ends it.
     */
    void holdCancel() {
      synchronized (StubCloud.this) {
        holdCancel = true;
      }
    }

    /** Waits for the commit, accepts the opener, streams {@code deltas} and completes the turn. */
    void answer(String... deltas) throws ProtocolException {
      awaitCommit();
      accept();
      delta(deltas);
      done();
    }

    void accept() throws ProtocolException {
      int words = awaitCommit().wordCount();
      send(seq -> new OpenerAccept(nextEventId(), seq, id, words));
    }

    /** Asks the device to keep {@code keepWords} opener words; returns the {@code kept_words} it acked. */
    int rewind(int keepWords) throws ProtocolException {
      awaitCommit();
      send(seq -> new OpenerRewind(nextEventId(), seq, id, keepWords));
      return await(OpenerRewindAck.class).keptWords();
    }

    void repair(int afterWords) throws ProtocolException {
      send(seq -> new OpenerRepair(nextEventId(), seq, id, afterWords));
    }

    /** One {@code continuation.delta} per text. */
    void delta(String... texts) throws ProtocolException {
      for (String text : texts) {
        send(seq -> new ContinuationDelta(nextEventId(), seq, id, text));
      }
    }

    void done() throws ProtocolException {
      done(DoneStatus.COMPLETED);
    }

    void done(DoneStatus status) throws ProtocolException {
      send(seq -> new ContinuationDone(nextEventId(), seq, id, status, new Usage(10, 5, 3), null));
    }

    /** Ends the turn with {@code failed}. */
    void fail(ErrorCode code, String message) throws ProtocolException {
      send(seq -> new ContinuationDone(nextEventId(), seq, id, DoneStatus.FAILED, new Usage(10, 5, 0), new Failure(code, message)));
    }

    /**
     * Sends a numbered frame that the cloud's own state machine cannot make (an unknown event
     * type, a broken event); {@code frame} gets the {@code seq} the device expects next. The device
     * consumes that number, so every later event's {@code seq} moves up by one. Not for tests that
     * resume afterwards.
     */
    void sendRaw(LongFunction<String> frame) {
      synchronized (StubCloud.this) {
        long seq = session.protocol.nextSeq() + session.shift;
        session.shift++;
        writeRaw(session, frame.apply(seq));
      }
    }

    /** Sends {@code frame} as it is, for frames whose {@code seq} cannot be read. */
    void sendUnnumbered(String frame) {
      synchronized (StubCloud.this) {
        writeRaw(session, frame);
      }
    }

    /** Sends an event about this turn; after a cancel the cloud answered, the turn is over and nothing more goes out. */
    private void send(LongFunction<ServerEvent> build) throws ProtocolException {
      synchronized (StubCloud.this) {
        if (cancelled && doneSent) {
          return;
        }
        emit(session, build);
      }
    }

    /** Ends a cancelled turn, as the cloud must. */
    private void endCancelled() throws ProtocolException {
      if (!doneSent) {
        emit(session, seq -> new ContinuationDone(nextEventId(), seq, id, DoneStatus.CANCELLED, new Usage(10, 5, 1), null));
      }
    }

    /** Answers the device's {@code turn.truncate}, which always follows the done. */
    private void truncated() throws ProtocolException {
      int words = truncateTo;
      String text = Words.prefix(reply, words);
      truncateTo = -1;
      emit(session, seq -> new TurnTruncated(nextEventId(), seq, id, words, text));
    }
  }
}

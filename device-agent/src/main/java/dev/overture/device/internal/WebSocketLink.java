package dev.overture.device.internal;

import dev.overture.device.AgentException;
import dev.overture.protocol.CancelReason;
import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.ContextHistory;
import dev.overture.protocol.ContinuationDelta;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.GoAway;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.InputFinal;
import dev.overture.protocol.InputPartial;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.OpenerRewindAck;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.Ping;
import dev.overture.protocol.PlaybackProgress;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ProtocolVersion;
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
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.session.DeviceSession;
import dev.overture.protocol.session.SessionPhase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * One protocol session with the cloud over an OkHttp WebSocket ({@code /v1/handoff}), kept alive
 * across connections: a dropped connection is reopened with exponential backoff and the session
 * resumed ({@code session.resume}), replaying what the cloud has not consumed; events produced
 * while disconnected wait and follow the replay. When the session cannot be resumed, a new one
 * starts and the running turn is reported lost.
 *
 * <p>Thread ownership: every method runs on the {@link AgentLoop}; OkHttp's callbacks only post
 * to it.
 */
public final class WebSocketLink implements AutoCloseable {

  static final long FIRST_BACKOFF_NANOS = 100_000_000L;
  static final long MAX_BACKOFF_NANOS = 5_000_000_000L;

  private final OkHttpClient client;
  private final Request upgrade;
  private final EventCodec codec;
  private final ClientInfo clientInfo;
  private final AgentLoop loop;
  private final CloudListener listener;
  private final HistoryMirror mirror = new HistoryMirror();
  private final ArrayDeque<LongFunction<ClientEvent>> waiting = new ArrayDeque<>();

  private DeviceSession session;
  private WebSocket socket;
  private boolean open;
  private boolean everStarted;
  private boolean outageReported;
  /** A turn whose question the cloud cannot take: its later events are dropped, its cancel is sent. */
  private String refusedTurn;
  private boolean goAway;
  private ErrorEvent fatalError;
  private int failedAttempts;
  private long disconnectedAt; // when the established session lost its connection (System.nanoTime)
  private ScheduledFuture<?> reconnect;
  private ScheduledFuture<?> pinger;
  private long lastSendNanos;
  private long pingUnansweredSince; // when a ping went out with nothing received since (0: none)
  private long pings;
  private String turnId;
  private boolean turnRunning;
  private boolean closed;

  public WebSocketLink(OkHttpClient client, HttpUrl base, String apiKey, EventCodec codec, ClientInfo clientInfo, AgentLoop loop, CloudListener listener) {
    this.client = client;
    Request.Builder request = new Request.Builder().url(base.newBuilder().encodedPath("/v1/handoff").build());
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    this.upgrade = request.build();
    this.codec = codec;
    this.clientInfo = clientInfo;
    this.loop = loop;
    this.listener = listener;
  }

  /** Opens the connection unless it is open or opening. */
  public void connect() {
    if (closed || socket != null) {
      return;
    }
    cancelReconnect();
    fatalError = null;
    final WebSocket[] self = new WebSocket[1];
    self[0] = client.newWebSocket(upgrade, new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        loop.execute(() -> opened(self[0]));
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        loop.execute(() -> received(self[0], text));
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        webSocket.close(1000, null);
      }

      @Override
      public void onClosed(WebSocket webSocket, int code, String reason) {
        loop.execute(() -> dropped(self[0], null));
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        int status = response == null ? 0 : response.code();
        loop.execute(() -> dropped(self[0], failure(t, status)));
      }
    });
    socket = self[0];
  }

  /**
   * Whether a turn can go over this link: the session is started (or starting) on an open
   * connection, is being resumed, or the first connection is being opened (its events wait for
   * it). False while a broken link has no session to resume.
   */
  public boolean usable() {
    if (closed) {
      return false;
    }
    if (session == null) {
      return socket != null && failedAttempts == 0; // the first connection is being opened
    }
    SessionPhase phase = session.phase();
    return (open && (phase == SessionPhase.STARTING || phase == SessionPhase.ESTABLISHED))
        || (everStarted && (phase == SessionPhase.DISCONNECTED || phase == SessionPhase.RESUMING));
  }

  /** What the cloud's history of this session is, as the events it carried imply. */
  public List<HistoryItem> cloudHistory() {
    return mirror.history();
  }

  // ---- Turn events. ----

  /**
   * Starts a turn; sends {@code history} first when the cloud's history differs from it (after a
   * local fallback, a new session, or history given by the app).
   */
  public void beginTurn(String id, List<HistoryItem> history) {
    turnId = id;
    refusedTurn = null;
    turnRunning = true;
    mirror.turnStarted(id);
    send(seq -> new TurnStart(eventId(seq), seq, id));
    connect(); // a new question is worth an attempt now, backoff or not (no-op while connected)
    if (!mirror.history().equals(history)) {
      List<HistoryItem> items = fitHistory(history, limits());
      send(seq -> new ContextHistory(eventId(seq), seq, id, items));
      mirror.replace(items);
    }
  }

  public void partial(String id, int revision, String text) {
    send(seq -> new InputPartial(eventId(seq), seq, id, revision, text));
  }

  /** Whether the cloud accepts {@code text} as a turn's input, by the limits it announced. */
  boolean accepts(String text) {
    return text.codePointCount(0, text.length()) <= limits().maxContextChars();
  }

  public void finalText(String id, String text) {
    mirror.finalText(text);
    send(seq -> new InputFinal(eventId(seq), seq, id, text));
  }

  public void openerWord(String id, int index, String text) {
    send(seq -> new OpenerWord(eventId(seq), seq, id, index, text));
  }

  public void commit(String id, List<String> words) {
    String text = String.join("", words);
    mirror.committed(text);
    send(seq -> new OpenerCommit(eventId(seq), seq, id, words.size(), text));
  }

  public void rewindAck(String id, int keptWords) {
    mirror.rewound(keptWords);
    send(seq -> new OpenerRewindAck(eventId(seq), seq, id, keptWords));
  }

  public void progress(String id, int wordsHeard) {
    send(seq -> new PlaybackProgress(eventId(seq), seq, id, wordsHeard));
  }

  public void cancel(String id, CancelReason reason) {
    if (id.equals(turnId)) {
      send(seq -> new TurnCancel(eventId(seq), seq, id, reason));
    }
  }

  public void truncate(String id, int wordsHeard) {
    if (id.equals(turnId)) {
      send(seq -> new TurnTruncate(eventId(seq), seq, id, wordsHeard));
    }
  }

  /** The device is done with the turn: a pending go-away can move the session now. */
  public void turnFinished() {
    turnRunning = false;
    if (goAway && open) {
      moveConnection();
    }
  }

  @Override
  public void close() {
    closed = true;
    cancelReconnect();
    if (pinger != null) {
      pinger.cancel(false);
    }
    if (socket != null) {
      socket.close(1000, "conversation closed");
      socket = null;
    }
  }

  // ---- Sending. ----

  private void send(LongFunction<ClientEvent> build) {
    waiting.add(build);
    if (canSendNow()) {
      flush();
    } else if (reconnect == null) {
      connect();
    } // else: during a backoff the scheduled attempt carries it (not one attempt per event)
  }

  /**
   * Turn events wait for {@code session.started}: its limits (a model's context window, for one)
   * decide what a turn may send, and the connection is normally up long before the user finishes
   * speaking, so pipelining would gain nothing but the risk of breaking a limit not yet announced.
   */
  private boolean canSendNow() {
    return open && session != null && session.phase() == SessionPhase.ESTABLISHED;
  }

  private void flush() {
    while (canSendNow() && !waiting.isEmpty()) {
      ClientEvent event = waiting.poll().apply(session.nextSeq());
      if (event instanceof InputPartial && !accepts(((InputPartial) event).text())) {
        continue; // partials are optional; the final transcript decides whether the cloud takes the turn
      }
      if (event instanceof InputFinal && !accepts(((InputFinal) event).text())) {
        refuseTurn(((InputFinal) event).turnId());
      } else if (!(event instanceof TurnEvent) || !((TurnEvent) event).turnId().equals(refusedTurn) || event instanceof TurnCancel) {
        transmit(event);
      }
    }
  }

  /**
   * The turn's question is longer than the limit the cloud announced (a model's context window):
   * its input and opener never go out (the cloud would refuse them), its cancel still does, and the
   * conversation completes it on the device.
   */
  private void refuseTurn(String id) {
    refusedTurn = id;
    listener.onTurnLost(id, new AgentException(AgentException.Kind.CONTEXT_TOO_LARGE, "context_too_large",
        "the question is longer than the cloud accepts (" + limits().maxContextChars() + " characters); the device answers alone", null));
  }

  private void transmit(ClientEvent event) {
    try {
      String frame = session.send(event);
      socket.send(frame);
      lastSendNanos = System.nanoTime();
    } catch (ProtocolException e) {
      AgentException error = new AgentException(AgentException.Kind.INTERNAL, e.code().wireName(), "the agent built an event the protocol rejects: " + e.getMessage(), e);
      if (event instanceof TurnEvent) {
        String turnId = ((TurnEvent) event).turnId();
        if (!(event instanceof TurnCancel)) {
          refusedTurn = turnId; // its later events stay here, its cancel goes
        }
        listener.onTurnLost(turnId, error);
      } else {
        listener.onNotice(error);
      }
    }
  }

  private String eventId(long seq) {
    return "c-" + seq;
  }

  /** The limits in force: the session's announced ones, else the protocol's defaults. */
  public ProtocolLimits limits() {
    return session == null ? codec.limits() : session.limits();
  }

  /** The newest items of {@code history} that fit the announced limits. */
  static List<HistoryItem> fitHistory(List<HistoryItem> history, ProtocolLimits limits) {
    List<HistoryItem> items = new ArrayList<>();
    long chars = 0;
    for (int i = history.size() - 1; i >= 0 && items.size() < limits.maxHistoryItems(); i--) {
      String text = history.get(i).text();
      chars += text.codePointCount(0, text.length());
      if (chars > limits.maxContextChars() / 2) {
        break; // the other half is the user's text of this turn
      }
      items.add(history.get(i));
    }
    Collections.reverse(items);
    return items;
  }

  // ---- Connection events (on the loop). ----

  private void opened(WebSocket ws) {
    if (ws != socket) {
      return;
    }
    open = true;
    pingUnansweredSince = 0;
    if (session != null && session.phase() == SessionPhase.DISCONNECTED) {
      transmit(new SessionResume("c-resume-" + System.nanoTime(), 0, session.resumeHandle(), session.lastReceivedSeq()));
      return;
    }
    session = new DeviceSession(codec);
    transmit(new SessionStart(eventId(session.nextSeq()), session.nextSeq(), Collections.singletonList(ProtocolVersion.CURRENT), clientInfo));
    flush();
  }

  private void received(WebSocket ws, String text) {
    if (ws != socket || session == null) {
      return;
    }
    pingUnansweredSince = 0;
    ServerEvent event;
    try {
      event = session.receive(text);
    } catch (ProtocolException e) {
      AgentException error = new AgentException(AgentException.Kind.PROTOCOL, e.code().wireName(), "the cloud sent a frame the protocol rejects: " + e.getMessage(), e);
      if (e.fatal()) {
        ws.close(e.code() == ErrorCode.MALFORMED_JSON ? 1007 : 1008, e.code().wireName());
        dropped(ws, error); // reported once, here: the close that follows is the device's own
      } else {
        listener.onNotice(error);
      }
      return;
    }
    if (event instanceof SessionStarted) {
      everStarted = true;
      failedAttempts = 0;
      outageReported = false;
      flush();
      schedulePings(); // now that the cloud announced its ping interval
    } else if (event instanceof SessionResumed) {
      failedAttempts = 0;
      for (ClientEvent replay : session.pendingReplay()) {
        transmit(replay);
      }
      flush();
    } else if (event instanceof GoAway) {
      goAway = true;
      if (!turnRunning) {
        moveConnection();
      }
    } else if (event instanceof ErrorEvent) {
      ErrorEvent error = (ErrorEvent) event;
      if (error.fatal()) {
        fatalError = error;
      } else {
        listener.onNotice(new AgentException(AgentException.Kind.CLOUD_ERROR, error.code().wireName(), error.message(), null));
      }
    } else if (event instanceof TurnEvent) {
      mirrorTurnEvent(event);
      listener.onTurnEvent(event);
    }
  }

  private void mirrorTurnEvent(ServerEvent event) {
    if (event instanceof ContinuationDelta) {
      mirror.delta(((ContinuationDelta) event).text());
    } else if (event instanceof ContinuationDone) {
      mirror.done(((ContinuationDone) event).turnId());
    } else if (event instanceof TurnTruncated) {
      TurnTruncated truncated = (TurnTruncated) event;
      mirror.truncated(truncated.turnId(), truncated.text());
    }
  }

  private void dropped(WebSocket ws, AgentException failure) {
    if (ws != socket) {
      return;
    }
    socket = null;
    boolean wasOpen = open;
    open = false;
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    if (session != null && session.phase() == SessionPhase.ESTABLISHED) {
      disconnectedAt = now; // the window runs from this drop, not from each failed attempt after it
    }
    // A reconnection that failed before its socket opened (no network, a refused upgrade) leaves
    // the session DISCONNECTED: it stays resumable until the window the cloud announced has passed.
    boolean resumable = session != null && fatalError == null
        && (session.phase() == SessionPhase.ESTABLISHED || session.phase() == SessionPhase.RESUMING
            || (session.phase() == SessionPhase.DISCONNECTED
                && now - disconnectedAt < session.limits().resumeWindowMs() * 1_000_000L));
    if (resumable) {
      session.connectionLost();
    } else {
      AgentException reason = fatalError != null
          ? new AgentException(fatalError.code() == ErrorCode.UNAUTHORIZED ? AgentException.Kind.CLOUD_UNAUTHORIZED : AgentException.Kind.CLOUD_ERROR,
              fatalError.code().wireName(), fatalError.message(), null)
          : failure != null ? failure
          : new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, "the cloud closed the connection" + (wasOpen ? "" : " before the session started"));
      sessionEnded(reason);
    }
    failedAttempts++;
    scheduleReconnect();
  }

  /** The session is gone for good: the next connection starts a new one with an empty history. */
  private void sessionEnded(AgentException reason) {
    session = null;
    fatalError = null;
    waiting.clear();
    mirror.replace(Collections.emptyList());
    String lost = turnId;
    turnId = null; // the next session never hears of it: no cancel or truncate for it
    if (turnRunning) {
      turnRunning = false;
      listener.onTurnLost(lost, reason);
    } else if (!outageReported) {
      listener.onNotice(reason); // once per outage, not once per reconnection attempt
    }
    outageReported = true;
  }

  /** After {@code session.go_away}: resume the session on a fresh connection. */
  private void moveConnection() {
    goAway = false;
    if (socket != null) {
      WebSocket old = socket;
      socket = null;
      open = false;
      session.connectionLost();
      old.close(1000, "moving after go_away");
      connect();
    }
  }

  private void scheduleReconnect() {
    cancelReconnect();
    long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(16, Math.max(0, failedAttempts - 1)));
    long jittered = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    reconnect = loop.schedule(this::connect, jittered);
  }

  private void cancelReconnect() {
    if (reconnect != null) {
      reconnect.cancel(false);
      reconnect = null;
    }
  }

  private void schedulePings() {
    if (pinger != null) {
      return;
    }
    pinger = loop.schedule(new Runnable() {
      @Override
      public void run() {
        if (closed) {
          return;
        }
        long now = System.nanoTime();
        if (open && pingUnansweredSince != 0 && now - pingUnansweredSince >= limits().idleTimeoutMs() * 1_000_000L) {
          // Protocol section 2: nothing received for idle_timeout_ms after a ping. The socket is
          // half-open (a NAT timeout, a dead cell): give it up and resume on a new one.
          WebSocket dead = socket;
          dead.cancel();
          dropped(dead, new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, null,
              "the cloud sent nothing for " + limits().idleTimeoutMs() + " ms after a ping", null));
        } else if (canSendNow() && now - lastSendNanos >= limits().pingIntervalMs() * 1_000_000L) {
          transmit(new Ping("c-ping-" + (++pings), 0));
          if (pingUnansweredSince == 0) {
            pingUnansweredSince = now;
          }
        }
        pinger = loop.schedule(this, pingCheckNanos());
      }
    }, pingCheckNanos());
  }

  /** A third of the ping interval in force, which a new session may change. */
  private long pingCheckNanos() {
    return limits().pingIntervalMs() * 1_000_000L / 3;
  }

  private static AgentException failure(Throwable t, int status) {
    if (status == 401 || status == 403) {
      return new AgentException(AgentException.Kind.CLOUD_UNAUTHORIZED, "unauthorized", "the cloud refused the API key (HTTP " + status + ")", t);
    }
    String what = status > 0 ? "HTTP " + status : String.valueOf(t.getMessage());
    return new AgentException(AgentException.Kind.CLOUD_UNREACHABLE, null, "cannot reach the cloud: " + what, t);
  }
}

package dev.overture.cloud.handoff;

import dev.overture.cloud.admission.Permit;
import dev.overture.cloud.concurrent.SerialExecutor;
import dev.overture.cloud.engine.ContextTooLargeException;
import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.engine.EngineFailureException;
import dev.overture.cloud.engine.EngineOverloadedException;
import dev.overture.cloud.engine.OpenerScore;
import dev.overture.cloud.verify.Verdict;
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
import dev.overture.protocol.InputPartial;
import dev.overture.protocol.OpenerAccept;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.OpenerRepair;
import dev.overture.protocol.OpenerRewind;
import dev.overture.protocol.OpenerRewindAck;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.Ping;
import dev.overture.protocol.PlaybackProgress;
import dev.overture.protocol.Pong;
import dev.overture.protocol.ProtocolException;
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
import dev.overture.protocol.session.CloudSession;
import dev.overture.protocol.session.EventRateLimiter;
import dev.overture.protocol.session.SessionPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One handoff session: the protocol's {@link CloudSession} state machine, the conversation's
 * engine state and the running turn, behind one serialized pipeline.
 *
 * <p>Thread ownership: every input (a frame from the transport, an engine result, a timer, a
 * shutdown request) is queued on the session's {@link SerialExecutor} and handled there, one at a
 * time and in order; nothing else touches the fields below. Engine work runs on the engine's
 * threads and posts its results back here; transports only queue frames.
 *
 * <p>A session outlives its connections: when one drops, the session stays resumable for the
 * resume window, the running turn keeps generating, and its events are held (bounded by the
 * replay buffer) until a {@code session.resume} arrives on a new connection.
 */
final class HandoffSession {

  private static final Logger log = LoggerFactory.getLogger(HandoffSession.class);

  private final HandoffSessions sessions;
  private final String id;
  private final String resumeHandle;
  private final String apiKeyId;
  private final CloudSession protocol;
  private final boolean oneShot;
  private final SerialExecutor pipeline;

  // Touched on the pipeline only.
  private Connection connection;
  private EventRateLimiter rateLimiter;
  /** Drawn by refused events: a client that keeps flooding after {@code rate_limited} empties it. */
  private EventRateLimiter patience;
  private EngineConversation conversation;
  private final List<LongFunction<ServerEvent>> held = new ArrayList<>();
  private final List<HistoryItem> history = new ArrayList<>();
  private Turn turn;
  private long eventCount;
  private Disposable expiry;
  private boolean registered;
  private boolean ended;

  HandoffSession(
      HandoffSessions sessions,
      String id,
      String resumeHandle,
      String apiKeyId,
      CloudSession protocol,
      boolean oneShot) {
    this.sessions = sessions;
    this.id = id;
    this.resumeHandle = resumeHandle;
    this.apiKeyId = apiKeyId;
    this.protocol = protocol;
    this.oneShot = oneShot;
    this.pipeline = new SerialExecutor(sessions.pipelineThreads(), 64);
  }

  String id() {
    return id;
  }

  String resumeHandle() {
    return resumeHandle;
  }

  String apiKeyId() {
    return apiKeyId;
  }

  // ---- Inputs: each is queued on the pipeline. ----

  /** A frame arrived on {@code from}; a new connection takes the session over from the old one. */
  void frame(Connection from, byte[] frame) {
    // A connection that found this session just before it ended (a resume racing the window's end)
    // is closed: the client reconnects and learns the session is gone, instead of waiting forever.
    post(() -> receive(from, frame), () -> from.finish(null, null));
  }

  /** The transport refused a frame before reading it (too large, binary). */
  void refuse(Connection from, ProtocolException failure) {
    post(
        () -> {
          if (attach(from)) {
            reject(failure, null);
          }
        },
        () -> from.finish(null, null));
  }

  /** Nothing arrived on {@code from} for the idle timeout. */
  void idle(Connection from, Duration idleTimeout) {
    post(
        () -> {
          if (from == connection) {
            reject(
                new ProtocolException(
                    ErrorCode.TIMEOUT,
                    "nothing received for " + idleTimeout.toMillis() + " ms",
                    true,
                    null,
                    -1),
                null);
          } else {
            from.finish(null, null);
          }
        },
        () -> from.finish(null, null));
  }

  /** The transport {@code from} closed (the client left, the network dropped, or we closed it). */
  void connectionClosed(Connection from) {
    post(() -> lost(from));
  }

  /** Announces that the server goes away in {@code timeLeft}; the session keeps working. */
  void goAway(Duration timeLeft, String reason) {
    post(
        () -> {
          if (connection != null && protocol.phase() == SessionPhase.ESTABLISHED) {
            deliver(new GoAway(nextEventId(), 0, timeLeft.toMillis(), reason));
          }
        });
  }

  /** Ends the session now (shutdown, resume window passed). */
  void end(String why) {
    post(
        () -> {
          if (oneShot && turn != null) {
            fail(turn, ErrorCode.OVERLOADED, why); // the response ends as a failure, not a cut stream
          }
          terminate(why);
        });
  }

  /** Starts the one turn of a {@code POST /v1/continue} request, answering on {@code to}. */
  void startOneShot(Connection to, ContinueRequest request) {
    post(
        () -> {
          connection = to;
          conversation = sessions.engine().open(id);
          history.addAll(request.history());
          int maxTokens = sessions.maxTokens(request.options() == null ? null : request.options().maxOutputTokens());
          turn = new Turn(request.turnId(), false, maxTokens);
          turn.finalText = request.userText();
          turn.words.addAll(request.openerWords());
          turn.committed = request.openerWords().size();
          commit(turn);
        });
  }

  private void post(Runnable task) {
    post(task, () -> {});
  }

  /**
   * Runs {@code task} on the session's pipeline, or {@code ifEnded} there instead once the session
   * has ended (to hand back what the task would have owned, such as an engine slot).
   */
  private void post(Runnable task, Runnable ifEnded) {
    pipeline.execute(
        () -> {
          if (ended) {
            ifEnded.run();
            return;
          }
          try {
            task.run();
          } catch (RuntimeException e) {
            internalFailure(e);
          }
        });
  }

  // ---- Frames in. ----

  /**
   * Makes {@code from} the session's connection; false for a connection the session already let
   * go of (frames still in flight on a socket that a resume took over).
   */
  private boolean attach(Connection from) {
    if (from == connection) {
      return true;
    }
    if (from.finished()) {
      return false;
    }
    Connection previous = connection;
    connection = from;
    rateLimiter = new EventRateLimiter(sessions.limits().maxEventsPerSecond());
    patience = new EventRateLimiter(sessions.limits().maxEventsPerSecond());
    if (previous != null) {
      // A resume that beats the detection of the drop: the new connection wins.
      previous.finish(null, null);
      if (protocol.phase() == SessionPhase.ESTABLISHED || protocol.phase() == SessionPhase.RESUMING) {
        protocol.connectionLost();
      }
    }
    return true;
  }

  private void receive(Connection from, byte[] frame) {
    if (!attach(from)) {
      return;
    }
    // Every received frame counts against the rate, valid or not: rejected ones would otherwise be
    // free input, each answered with an error frame of its own.
    long now = System.nanoTime();
    boolean allowed = rateLimiter.tryAcquire(now);
    ClientEvent event;
    try {
      event = protocol.receive(frame);
    } catch (ProtocolException e) {
      if (allowed || e.fatal()) {
        reject(e, frame);
      } else {
        rateLimited(now, e.inReplyTo(), turnIdOf(sessions.peek(frame)));
      }
      return;
    }
    if (!allowed) {
      // The protocol recorded the event (its sequence number, the new turn, the words, the
      // commit's count, a truncation the device now waits to see answered): the session's own
      // record must say the same, or a later turn would build its history from another reply.
      record(event);
      rateLimited(now, event.eventId(), event instanceof TurnEvent turnEvent ? turnEvent.turnId() : null);
      return;
    }
    record(event);
    act(event);
  }

  private static String turnIdOf(Map<?, ?> members) {
    return members != null && members.get("turn_id") instanceof String turnId ? turnId : null;
  }

  /** Brings the session's record of the conversation in step with an event the protocol accepted. */
  private void record(ClientEvent event) {
    switch (event) {
      case TurnStart start -> startTurn(start);
      case ContextHistory items -> {
        history.clear();
        history.addAll(items.items());
      }
      case InputPartial partial -> turn.userText = partial.text();
      case InputFinal input -> {
        turn.userText = input.text();
        turn.finalText = input.text();
      }
      case OpenerWord word -> turn.words.add(word.text());
      case OpenerCommit commit -> turn.committed = commit.wordCount();
      case PlaybackProgress progress -> turn.wordsHeard = progress.wordsHeard();
      case TurnTruncate truncate -> truncate(turn, truncate.wordsHeard());
      default -> {}
    }
  }

  /** Starts the work an allowed event asks for, once {@link #record} has taken it in. */
  private void act(ClientEvent event) {
    switch (event) {
      case SessionStart start -> start();
      case SessionResume resume -> resumed();
      case Ping ping -> deliver(new Pong(nextEventId(), 0, ping.eventId()));
      case InputPartial partial -> conversation.updateContext(turn.context(history));
      case InputFinal input -> conversation.updateContext(turn.context(history));
      case OpenerCommit commit -> {
        if (!turn.finished()) { // words may still come after the cloud failed the turn
          commit(turn);
        }
      }
      case OpenerRewindAck ack -> rewindAcknowledged(turn, ack.keptWords());
      case TurnCancel cancel -> cancel(turn);
      case ErrorEvent error -> peerError(error);
      default -> {} // recorded only, or an event of a newer protocol version: ignored
    }
  }

  private void start() {
    conversation = sessions.engine().open(id);
    registered = true;
    sessions.register(this);
    deliver(
        new SessionStarted(
            nextEventId(),
            protocol.nextSeq(),
            ProtocolVersion.CURRENT,
            id,
            resumeHandle,
            sessions.limits()));
    log.debug("session {} started (key {})", id, apiKeyId);
  }

  private void resumed() {
    if (expiry != null) {
      expiry.dispose();
      expiry = null;
    }
    deliver(new SessionResumed(nextEventId(), 0, id, protocol.lastReceivedSeq()));
    for (ServerEvent replayed : protocol.pendingReplay()) {
      deliver(replayed);
    }
    List<LongFunction<ServerEvent>> pending = new ArrayList<>(held);
    held.clear();
    for (LongFunction<ServerEvent> event : pending) {
      emit(event);
    }
    log.debug("session {} resumed", id);
  }

  private void startTurn(TurnStart start) {
    if (turn != null) {
      if (!turn.finished()) { // the protocol allows this only after a cancel
        cancel(turn);
      }
      remember(turn);
    }
    turn = new Turn(start.turnId(), true, sessions.maxTokens(null));
  }

  private void truncate(Turn truncated, int wordsHeard) {
    // The protocol's own record of the reply, so that the text is what the device validates.
    String reply = protocol.reply(truncated.id);
    String text = Words.prefix(reply != null ? reply : truncated.reply(), wordsHeard);
    truncated.truncatedText = text;
    emit(seq -> new TurnTruncated(nextEventId(), seq, truncated.id, wordsHeard, text));
  }

  private void peerError(ErrorEvent error) {
    log.info("session {}: the client reported {}{}", id, error.code(), error.fatal() ? " (fatal)" : "");
    if (protocol.phase() == SessionPhase.CLOSED) {
      terminate("the client ended the session");
    }
  }

  /** Keeps what the user said and heard of a finished turn, for the prompts of later turns. */
  private void remember(Turn finished) {
    if (finished.finalText == null) {
      return;
    }
    history.add(new HistoryItem(Role.USER, finished.finalText));
    String reply = finished.historyText();
    if (Words.count(reply) > 0) {
      history.add(new HistoryItem(Role.ASSISTANT, reply));
    }
    while (history.size() > sessions.limits().maxHistoryItems()) {
      history.remove(0);
    }
  }

  // ---- The turn: commit, verdict, continuation, done. ----

  private void commit(Turn committed) {
    committed.commitNanos = System.nanoTime();
    committed.stage = Turn.Stage.ADMITTING;
    if (sessions.draining()) {
      fail(committed, ErrorCode.OVERLOADED, "the service is shutting down");
      return;
    }
    if (!sessions.engine().ready()) {
      fail(committed, ErrorCode.OVERLOADED, "the model is not loaded yet");
      return;
    }
    try { // before any engine work: input the model cannot hold is the client's error, not the engine's
      sessions.engine().requireFits(committed.context(history), committed.openerText(committed.committed));
    } catch (ContextTooLargeException e) {
      fail(committed, ErrorCode.CONTEXT_TOO_LARGE, e.getMessage());
      return;
    }
    committed.work =
        sessions
            .admission()
            .acquire()
            .subscribe(
                permit -> post(() -> admitted(committed, permit), permit::release),
                error -> post(() -> engineFailed(committed, error)));
  }

  private void admitted(Turn admitted, Permit permit) {
    if (admitted.stage != Turn.Stage.ADMITTING) {
      permit.release();
      return;
    }
    admitted.permit = permit;
    if (admitted.committed == 0 || !sessions.verifier().enabled()) {
      apply(admitted, new Verdict.Accept(admitted.committed));
      return;
    }
    admitted.stage = Turn.Stage.SCORING;
    admitted.work =
        conversation
            .scoreOpener(admitted.context(history), admitted.committedWords())
            .subscribe(
                score -> post(() -> scored(admitted, score)),
                error -> post(() -> engineFailed(admitted, error)));
  }

  private void scored(Turn scored, OpenerScore score) {
    if (scored.stage != Turn.Stage.SCORING) {
      return;
    }
    if (score.scored() && score.words() != scored.committed) {
      log.warn("session {}: the engine scored {} of {} opener words; accepted", id, score.words(), scored.committed);
    }
    Verdict verdict =
        sessions.verifier().verdict(score, scored.committed, scored.wordsHeard, scored.canRewind);
    apply(scored, verdict);
  }

  private void apply(Turn judged, Verdict verdict) {
    log.info(
        "session {} turn {}: verdict {} ({} opener words, {} heard)",
        id,
        judged.id,
        describe(verdict),
        judged.committed,
        judged.wordsHeard);
    sessions.metrics().verdict(verdict.kind());
    switch (verdict) {
      case Verdict.Accept accept -> {
        judged.keptWords = accept.words();
        emit(seq -> new OpenerAccept(nextEventId(), seq, judged.id, accept.words()));
        generate(judged, judged.openerText(accept.words()));
      }
      case Verdict.Rewind rewind -> {
        judged.stage = Turn.Stage.AWAITING_ACK;
        judged.keepWords = rewind.keepWords();
        emit(seq -> new OpenerRewind(nextEventId(), seq, judged.id, rewind.keepWords()));
        Duration timeout = sessions.rewindAckTimeout();
        judged.ackTimer =
            Mono.delay(timeout).subscribe(tick -> post(() -> ackTimedOut(judged, timeout)));
      }
      case Verdict.Repair repair -> repair(judged, repair.afterWords());
    }
  }

  private void rewindAcknowledged(Turn rewound, int keptWords) {
    rewound.keptWords = keptWords; // the protocol counts the reply from the ack, even a late one
    if (rewound.stage != Turn.Stage.AWAITING_ACK) {
      return;
    }
    rewound.ackTimer.dispose();
    rewound.ackTimer = null;
    if (keptWords == rewound.keepWords) {
      generate(rewound, rewound.openerText(keptWords));
      return;
    }
    Verdict repair = new Verdict.Repair(keptWords);
    log.info("session {} turn {}: verdict {} (the device had spoken more)", id, rewound.id, describe(repair));
    sessions.metrics().verdict(repair.kind());
    repair(rewound, keptWords);
  }

  private void ackTimedOut(Turn rewound, Duration timeout) {
    if (rewound.stage == Turn.Stage.AWAITING_ACK) {
      fail(rewound, ErrorCode.TIMEOUT, "no opener.rewind_ack within " + timeout.toMillis() + " ms");
    }
  }

  /** Keeps {@code afterWords} opener words, says the bridge at once, then the fresh answer. */
  private void repair(Turn repaired, int afterWords) {
    repaired.keptWords = afterWords;
    emit(seq -> new OpenerRepair(nextEventId(), seq, repaired.id, afterWords));
    String bridge = sessions.verifier().bridge(repaired.id);
    sendDelta(repaired, bridge);
    generate(repaired, repaired.openerText(afterWords) + bridge);
  }

  private void generate(Turn generating, String prefix) {
    generating.stage = Turn.Stage.GENERATING;
    generating.generationNanos = System.nanoTime();
    ContinuationRequest request =
        new ContinuationRequest(generating.context(history), prefix, generating.maxTokens);
    generating.work =
        conversation
            .continueReply(request)
            .subscribe(
                chunk -> post(() -> continued(generating, chunk)),
                error -> post(() -> engineFailed(generating, error)),
                () -> post(() -> completed(generating)));
  }

  private void continued(Turn generating, ContinuationChunk chunk) {
    if (generating.stage != Turn.Stage.GENERATING) {
      return;
    }
    generating.inputTokens = chunk.promptTokens();
    generating.cachedInputTokens = chunk.cachedPromptTokens();
    generating.outputTokens = chunk.completionTokens();
    generating.cutShort |= chunk.cutShort();
    if (!chunk.text().isEmpty()) {
      sendDelta(generating, chunk.text());
    }
  }

  private void sendDelta(Turn generating, String text) {
    if (!generating.deltaSent) {
      generating.deltaSent = true;
      sessions.metrics().firstWord(System.nanoTime() - generating.commitNanos);
    }
    generating.continuation.append(text);
    emit(seq -> new ContinuationDelta(nextEventId(), seq, generating.id, text));
  }

  private void completed(Turn generating) {
    if (generating.stage != Turn.Stage.GENERATING) {
      return;
    }
    long nanos = System.nanoTime() - generating.generationNanos;
    if (generating.outputTokens > 0 && nanos > 0) {
      sessions.metrics().tokensPerSecond(generating.outputTokens * 1e9 / nanos);
    }
    DoneStatus status =
        generating.cutShort || generating.outputTokens >= generating.maxTokens ? DoneStatus.TRUNCATED : DoneStatus.COMPLETED;
    done(generating, status, null);
  }

  private void engineFailed(Turn failed, Throwable error) {
    if (failed.finished()) {
      return;
    }
    ErrorCode code = codeOf(error);
    if (code == ErrorCode.ENGINE_FAILED) {
      log.warn("session {} turn {}: engine failed: {}", id, failed.id, error.toString());
    } else {
      log.info("session {} turn {}: {}: {}", id, failed.id, code, error.getMessage());
    }
    fail(failed, code, error.getMessage() == null ? code.wireName() : error.getMessage());
  }

  private static ErrorCode codeOf(Throwable error) {
    if (error instanceof EngineOverloadedException) {
      return ErrorCode.OVERLOADED;
    }
    if (error instanceof ContextTooLargeException) {
      return ErrorCode.CONTEXT_TOO_LARGE;
    }
    if (error instanceof EngineFailureException failure) {
      return switch (failure.kind()) {
        case TIMEOUT -> ErrorCode.TIMEOUT;
        case UNAVAILABLE -> ErrorCode.OVERLOADED;
        case REJECTED, FAILED -> ErrorCode.ENGINE_FAILED;
      };
    }
    return ErrorCode.ENGINE_FAILED;
  }

  private void cancel(Turn cancelled) {
    if (!cancelled.finished()) {
      done(cancelled, DoneStatus.CANCELLED, null);
    }
  }

  private void fail(Turn failed, ErrorCode code, String message) {
    if (failed.finished()) {
      return;
    }
    String text = shorten(message);
    if (oneShot) { // over HTTP a failure after the status line is an error event, then the done
      deliver(new ErrorEvent(nextEventId(), 0, code, text, false, null));
    }
    done(failed, DoneStatus.FAILED, new Failure(code, text));
  }

  private void done(Turn ended, DoneStatus status, Failure failure) {
    ended.stage = Turn.Stage.DONE;
    ended.release();
    String eventId = nextEventId();
    Usage usage = ended.usage();
    emit(seq -> new ContinuationDone(eventId, seq, ended.id, status, usage, failure));
    sessions.metrics().turnEnded(status.name().toLowerCase(Locale.ROOT));
    if (failure != null) {
      sessions.metrics().error(failure.code());
    }
    if (oneShot) {
      terminate("the one-shot turn is done");
    }
  }

  /** A message short enough for the protocol (which allows 1024 characters). */
  private static String shorten(String message) {
    if (message.length() <= 1000) {
      return message;
    }
    int end = Character.isHighSurrogate(message.charAt(999)) ? 999 : 1000;
    return message.substring(0, end) + "...";
  }

  // ---- Errors. ----

  /** Answers a rejected frame: a typed error, the turn failed when it cannot go on, closed when fatal. */
  private void reject(ProtocolException failure, byte[] frame) {
    sessions.metrics().error(failure.code());
    ErrorEvent error = ErrorEvent.of(nextEventId(), failure);
    if (failure.fatal() || protocol.phase() == SessionPhase.CLOSED) {
      sendFatal(error);
      return;
    }
    deliver(error);
    if (turn != null && !turn.finished() && failsTurn(failure, frame)) {
      fail(turn, failure.code(), "the turn received an event it cannot go on from: " + failure.code().wireName());
    }
  }

  /**
   * Whether a rejected event leaves the running turn unable to go on: input the cloud could not
   * take ({@code context_too_large}, {@code opener_too_long}), or opener words the cloud did not
   * record before the commit (then the two sides disagree about what was said). Other rejections
   * (a bad progress count, a stray ack) leave the turn as it was.
   */
  private boolean failsTurn(ProtocolException failure, byte[] frame) {
    ErrorCode code = failure.code();
    if (code != ErrorCode.CONTEXT_TOO_LARGE
        && code != ErrorCode.OPENER_TOO_LONG
        && code != ErrorCode.OUT_OF_ORDER) {
      return false;
    }
    Map<?, ?> members = sessions.peek(frame);
    if (members == null || !turn.id.equals(members.get("turn_id"))) {
      return false;
    }
    if (code != ErrorCode.OUT_OF_ORDER) {
      return true;
    }
    Object type = members.get("type");
    return turn.committed < 0 && (OpenerWord.TYPE.equals(type) || OpenerCommit.TYPE.equals(type));
  }

  /**
   * Answers an event dropped for the rate (its sequence number is consumed, nothing else): {@code
   * rate_limited}, and its turn fails. A client that goes on at more than twice the rate, so that
   * its refused events empty a second bucket as large as the first, is flooding: the error is then
   * fatal, which bounds the error frames one connection can draw.
   */
  private void rateLimited(long now, String eventId, String turnId) {
    int rate = sessions.limits().maxEventsPerSecond();
    boolean flooding = !patience.tryAcquire(now);
    String message =
        flooding
            ? "more than twice " + rate + " events per second after rate_limited; the session ends"
            : "more than " + rate + " events per second; dropped";
    ProtocolException failure = new ProtocolException(ErrorCode.RATE_LIMITED, message, flooding, eventId, -1);
    sessions.metrics().error(failure.code());
    if (flooding) {
      sendFatal(ErrorEvent.of(nextEventId(), failure));
      return;
    }
    deliver(ErrorEvent.of(nextEventId(), failure));
    if (turnId != null && turn != null && turn.id.equals(turnId) && !turn.finished()) {
      fail(turn, ErrorCode.RATE_LIMITED, "an event of this turn was dropped: rate limited");
    }
  }

  private void sendFatal(ErrorEvent error) {
    Connection to = connection;
    if (to != null) {
      try {
        to.finish(error, protocol.send(error));
      } catch (ProtocolException e) {
        to.finish(null, null);
      }
    }
    terminate("fatal " + error.code() + ": " + error.message());
  }

  private void internalFailure(RuntimeException e) {
    log.error("session {}: internal error", id, e);
    sessions.metrics().error(ErrorCode.INTERNAL);
    sendFatal(
        ErrorEvent.of(
            nextEventId(),
            new ProtocolException(ErrorCode.INTERNAL, "internal error", true, null, -1)));
  }

  // ---- Events out. ----

  /** Sends a numbered event now, or holds it until the session is resumed. */
  private void emit(LongFunction<ServerEvent> event) {
    if (connection == null || protocol.phase() != SessionPhase.ESTABLISHED) {
      hold(event);
      return;
    }
    deliver(event.apply(protocol.nextSeq()));
  }

  private void hold(LongFunction<ServerEvent> event) {
    held.add(event);
    if (held.size() > sessions.limits().replayBufferEvents() && turn != null && !turn.finished()) {
      fail(turn, ErrorCode.TIMEOUT, "the connection was lost and the reply does not fit the replay buffer");
    }
  }

  /** Sends an event on the current connection; a client that does not read fails the session. */
  private void deliver(ServerEvent event) {
    Connection to = connection;
    if (to == null) {
      return;
    }
    String frame;
    try {
      frame = protocol.send(event);
    } catch (ProtocolException e) {
      // Our own event broke the protocol: a bug. Drop it rather than send what the device rejects.
      log.error("session {}: refusing to send {}: {}", id, event.getClass().getSimpleName(), e.getMessage());
      sessions.metrics().error(ErrorCode.INTERNAL);
      return;
    }
    if (!to.send(event, frame)) {
      sessions.metrics().error(ErrorCode.TIMEOUT);
      ErrorEvent error =
          ErrorEvent.of(
              nextEventId(),
              new ProtocolException(
                  ErrorCode.TIMEOUT,
                  "the client does not read its events: " + sessions.outboundBufferFrames() + " frames queued",
                  true,
                  null,
                  -1));
      sendFatal(error);
    }
  }

  private String nextEventId() {
    return "s-" + (++eventCount);
  }

  // ---- Endings. ----

  private void lost(Connection from) {
    if (from != connection) {
      return;
    }
    connection = null;
    if (oneShot) {
      terminate("the client went away");
      return;
    }
    protocol.connectionLost();
    if (protocol.phase() != SessionPhase.DISCONNECTED) {
      terminate("the connection closed before the session started");
      return;
    }
    Duration window = sessions.resumeWindow();
    expiry =
        Mono.delay(window)
            .subscribe(
                tick ->
                    post(
                        () -> {
                          if (connection == null) {
                            terminate("not resumed within " + window.toMillis() + " ms");
                          }
                        }));
    log.debug("session {} disconnected; resumable for {} ms", id, window.toMillis());
  }

  private void terminate(String why) {
    if (ended) {
      return;
    }
    ended = true;
    if (turn != null && !turn.finished()) {
      turn.stage = Turn.Stage.DONE;
      turn.release();
      sessions.metrics().turnEnded("abandoned");
    }
    if (expiry != null) {
      expiry.dispose();
    }
    if (conversation != null) {
      conversation.close();
    }
    if (registered) {
      sessions.unregister(this);
    }
    if (oneShot) {
      sessions.oneShotEnded(this);
    }
    if (connection != null) {
      connection.finish(null, null);
      connection = null;
    }
    log.debug("session {} ended: {}", id, why);
  }

  private static String describe(Verdict verdict) {
    return switch (verdict) {
      case Verdict.Accept accept -> "accept";
      case Verdict.Rewind rewind -> "rewind to " + rewind.keepWords() + " words";
      case Verdict.Repair repair -> "repair after " + repair.afterWords() + " words";
    };
  }

  @Override
  public String toString() {
    return "HandoffSession[" + id + "]";
  }
}

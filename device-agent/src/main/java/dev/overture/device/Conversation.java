package dev.overture.device;

import dev.overture.device.internal.AgentLoop;
import dev.overture.device.internal.CloudListener;
import dev.overture.device.internal.ContinueLink;
import dev.overture.device.internal.LatencyEstimate;
import dev.overture.device.internal.WebSocketLink;
import dev.overture.device.internal.WordSplitter;
import dev.overture.device.opener.MicroSession;
import dev.overture.device.opener.OpenerDraft;
import dev.overture.device.opener.OpenerPolicy;
import dev.overture.protocol.CancelReason;
import dev.overture.protocol.ContinuationDelta;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.OpenerAccept;
import dev.overture.protocol.OpenerRepair;
import dev.overture.protocol.OpenerRewind;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.Role;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.TurnEvent;
import dev.overture.protocol.Words;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One dialogue between the user and the assistant: a sequence of turns, each a user utterance and
 * the reply to it. Open one with {@link OvertureAgent#newConversation}.
 *
 * <p>Feed it what the speech recognizer hears ({@link #partialTranscript}, then {@link
 * #finalTranscript} when the user stops speaking) and what the speaker actually played ({@link
 * #playbackProgress}); speak the words its listener receives. A partial after a finished turn
 * starts the next turn. {@link #cancel} is a barge-in; {@link #pause} and {@link #resume} handle a
 * false interruption.
 *
 * <p>Every method is thread-safe and returns at once: the work runs on the agent's loop thread,
 * and the listener is called on the agent's callback executor. The device and the cloud hold the
 * same history: after every turn the device's {@link #history()} is what the cloud answers the
 * next turn from (after a local fallback or a barge-in the device sends it again with the next
 * turn).
 */
public final class Conversation implements AutoCloseable {

  private final OvertureAgent agent;
  private final AgentLoop loop;
  private final Executor callbacks;
  private final AgentListener listener;
  private final AgentMode mode;
  private final OpenerPolicy policy;
  private final double wordsPerSecond;
  private final long graceNanos;
  private final LatencyEstimate latency;
  private final MicroSession micro;
  private final WebSocketLink socket;
  private final ContinueLink oneShot;
  private final String idPrefix;
  private final boolean speculate;

  private final AtomicReference<String> pendingPartial = new AtomicReference<>();
  private volatile boolean finalPending;
  private volatile List<HistoryItem> historySnapshot;
  private volatile boolean closed;
  private final AtomicLong cancelRequests = new AtomicLong(); // cancel() calls, from any thread

  // Owned by the loop.
  private final List<HistoryItem> history;
  // Written on the loop only; volatile because cancel() reads it on the app's thread.
  private volatile Turn turn;
  private Turn lastTurn;
  private int turns;
  private OpenerDraft draft;
  private String draftFor;
  private int draftTarget;

  Conversation(OvertureAgent agent, AgentListener listener, List<HistoryItem> initialHistory, MicroSession micro, int number) {
    this.agent = agent;
    this.loop = agent.loop();
    this.callbacks = agent.callbacks();
    this.listener = listener;
    this.mode = agent.mode();
    this.policy = agent.openerPolicy();
    this.wordsPerSecond = agent.wordsPerSecond();
    this.graceNanos = agent.fallbackGraceNanos();
    this.latency = new LatencyEstimate(agent.expectedCloudNanos());
    this.micro = micro;
    this.idPrefix = "t" + number + "-";
    this.speculate = agent.speculativeOpener();
    this.history = new ArrayList<>(initialHistory);
    this.historySnapshot = Collections.unmodifiableList(new ArrayList<>(history));
    CloudListener events = new CloudListener() {
      @Override
      public void onTurnEvent(ServerEvent event) {
        cloudEvent(event);
      }

      @Override
      public void onTurnLost(String turnId, AgentException reason) {
        cloudLost(turnId, reason);
      }

      @Override
      public void onNotice(AgentException notice) {
        report(notice);
      }
    };
    boolean cloud = mode != AgentMode.DEVICE_ONLY && agent.cloudUrl() != null;
    this.socket = cloud ? agent.newWebSocketLink(events) : null;
    this.oneShot = cloud ? agent.newContinueLink(events) : null;
    loop.execute(() -> {
      micro.warm(history);
      if (socket != null) {
        socket.connect();
      }
    });
  }

  // ---- The app's calls (any thread). ----

  /**
   * The recognizer's current hypothesis of the whole utterance; each replaces the previous one.
   * The first partial of an utterance starts a turn (and cancels a reply still being generated,
   * as a barge-in). While the user speaks, the micro model prefills the text and drafts its
   * opener, so that little is left to do when they stop.
   */
  public void partialTranscript(String text) {
    requireOpen();
    pendingPartial.set(requireText(text));
    loop.execute(this::onPartial);
  }

  /**
   * The user stopped speaking; {@code text} is what they said. The reply starts now: its first
   * word reaches the listener within milliseconds.
   *
   * @return completes with the turn's result (also given to {@link AgentListener#onTurnDone})
   * @throws IllegalArgumentException if {@code text} has no word (nothing to answer; {@link
   *     #cancel} drops an utterance whose partials started a turn)
   */
  public CompletableFuture<TurnResult> finalTranscript(String text) {
    requireOpen();
    long endOfSpeech = System.nanoTime();
    if (Words.count(requireText(text)) == 0) {
      throw new IllegalArgumentException("the final transcript has no word: \"" + text + "\"");
    }
    finalPending = true;
    pendingPartial.set(null);
    CompletableFuture<TurnResult> result = new CompletableFuture<>();
    long cancelsBefore = cancelRequests.get();
    loop.execute(() -> onFinal(text, endOfSpeech, cancelsBefore, result));
    return result;
  }

  /** The user has heard {@code wordsHeard} words of the current reply (never decreases). */
  public void playbackProgress(int wordsHeard) {
    if (wordsHeard < 0) {
      throw new IllegalArgumentException("wordsHeard < 0: " + wordsHeard);
    }
    long now = System.nanoTime();
    loop.execute(() -> onProgress(wordsHeard, now));
  }

  /**
   * Barge-in: the user talks over the reply. Generation stops, the words not yet heard are
   * dropped, and the history (here and in the cloud) keeps only the words heard, per the last
   * {@link #playbackProgress}. Also valid after the turn finished while its reply still plays.
   *
   * @return completes once the history holds only what was heard
   */
  public CompletableFuture<Void> cancel() {
    if (closed) {
      return CompletableFuture.completedFuture(null); // close() cancelled the turn; the loop may be gone
    }
    // Counted before reading the turn, and onFinal reads the count after publishing its turn: a
    // cancel that races a final transcript given before it stops that turn one way or the other.
    cancelRequests.incrementAndGet();
    Turn running = turn;
    if (running != null) {
      running.stop = true;
    }
    return onLoop(this::onCancel);
  }

  /** Runs {@code task} on the loop; the result completes when it ran (or was dropped by a close). */
  private CompletableFuture<Void> onLoop(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        task.run();
      } finally {
        done.complete(null);
      }
    });
    return done;
  }

  /**
   * The user may be starting to speak: hold the reply (stop playing it). Words keep coming but are
   * held back until {@link #resume}; the fallback deadline waits.
   */
  public void pause() {
    loop.execute(() -> setPaused(true));
  }

  /**
   * It was not speech (a false interruption): the words released but not heard are delivered
   * again ({@link ReplyWord#redelivered()}), then the held ones.
   */
  public void resume() {
    loop.execute(() -> setPaused(false));
  }

  /** The history after the last finished turn, oldest first: what both sides answer from. */
  public List<HistoryItem> history() {
    return historySnapshot;
  }

  /** What the cloud holds for this conversation's WebSocket session, for tests and diagnostics. */
  public CompletableFuture<List<HistoryItem>> cloudHistory() {
    if (closed) {
      return CompletableFuture.completedFuture(Collections.<HistoryItem>emptyList());
    }
    CompletableFuture<List<HistoryItem>> result = new CompletableFuture<>();
    loop.execute(() -> result.complete(socket == null ? Collections.<HistoryItem>emptyList() : socket.cloudHistory()));
    return result;
  }

  /** Ends the conversation: the running turn is cancelled, the connection closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Turn running = turn;
    if (running != null) {
      running.stop = true;
    }
    CompletableFuture<Void> done = onLoop(() -> {
      if (turn != null) {
        cancelTurn(turn, CancelReason.USER_STOP);
      }
      if (socket != null) {
        socket.close();
      }
      if (oneShot != null) {
        oneShot.cancel();
      }
      micro.close();
    });
    agent.forget(this);
    if (!loop.inLoop()) {
      done.join();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the conversation is closed");
    }
  }

  private static String requireText(String text) {
    if (text == null) {
      throw new NullPointerException("text");
    }
    return text;
  }

  // ---- Turns (on the loop). ----

  private Turn startTurn() {
    if (turn != null) {
      cancelTurn(turn, CancelReason.BARGE_IN);
    }
    String id = idPrefix + (++turns);
    String transport;
    if (socket == null) {
      transport = "none";
    } else if (socket.usable()) {
      transport = "websocket";
      socket.beginTurn(id, history);
    } else {
      transport = "http";
      socket.connect();
    }
    Turn next = new Turn(id, transport, latency.nanos(), wordsPerSecond);
    turn = next;
    draft = null;
    draftFor = null;
    return next;
  }

  /**
   * An opener of about {@code target} words, within what the cloud announced (opener words, word
   * length): the opener goes out word by word, and the cloud refuses a turn beyond its limits.
   */
  private OpenerDraft draftOpener(int target, Consumer<String> onWord, BooleanSupplier abort) {
    ProtocolLimits limits = socket == null ? ProtocolLimits.defaults() : socket.limits();
    return micro.draftOpener(Math.min(target, limits.maxOpenerWords()), limits.maxWordChars(), onWord, abort);
  }

  private void onPartial() {
    String text = pendingPartial.getAndSet(null);
    if (text == null || closed) {
      return;
    }
    Turn current = turn != null && turn.userText == null ? turn : startTurn();
    current.revisions++;
    if ("websocket".equals(current.transport)) {
      socket.partial(current.id, current.revisions, text);
    }
    if (micro.prepare(history, text) < 0 || mode == AgentMode.CLOUD_ONLY || !speculate) {
      return;
    }
    int target = policy.targetWords(current.expectedCloudNanos, wordsPerSecond);
    OpenerDraft speculative = draftOpener(target, word -> {}, () -> pendingPartial.get() != null || finalPending || current.stop);
    if (speculative.complete() && !speculative.words().isEmpty()) {
      draft = speculative;
      draftFor = text;
      draftTarget = target;
    } else {
      draft = null;
      draftFor = null;
    }
  }

  private void onFinal(String text, long endOfSpeech, long cancelsBefore, CompletableFuture<TurnResult> result) {
    finalPending = false;
    if (closed) {
      result.cancel(false);
      return;
    }
    Turn current = turn != null && turn.userText == null ? turn : startTurn();
    if (cancelRequests.get() != cancelsBefore) {
      current.stop = true; // cancel() came after this transcript, before its turn was published
    }
    current.result.whenComplete((r, e) -> {
      if (e == null) {
        result.complete(r);
      } else {
        result.completeExceptionally(e);
      }
    });
    current.userText = text;
    current.endOfSpeech = endOfSpeech;
    if ("websocket".equals(current.transport)) {
      socket.finalText(current.id, text);
    }
    if (mode == AgentMode.CLOUD_ONLY) {
      commit(current);
      return;
    }
    int target = policy.targetWords(current.expectedCloudNanos, wordsPerSecond);
    current.openerTarget = target;
    if (draft != null && text.equals(draftFor) && draftTarget == target) {
      current.speculativeHit = true;
      current.prefillTokensAtEnd = 0;
      for (String word : draft.words()) {
        openerWord(current, word);
      }
      afterOpener(current, draft);
      return;
    }
    current.prefillTokensAtEnd = micro.prepare(history, text);
    if (current.prefillTokensAtEnd < 0) {
      report(new AgentException(AgentException.Kind.CONTEXT_TOO_LARGE, "the conversation does not fit the micro model's context even without its history: no opener"));
      if (current.cloudUsed()) {
        commit(current);
      } else {
        finish(current, TurnStatus.FAILED, new AgentException(AgentException.Kind.CONTEXT_TOO_LARGE, "the question is too long for the device model"));
      }
      return;
    }
    OpenerDraft made = draftOpener(target, word -> openerWord(current, word), () -> current.stop);
    if (current.stop) {
      return; // a cancel is queued behind this task
    }
    afterOpener(current, made);
  }

  private void openerWord(Turn current, String word) {
    int index = current.opener.size();
    current.opener.add(word);
    if ("websocket".equals(current.transport)) {
      socket.openerWord(current.id, index, word);
    }
    deliver(current, current.release(word, WordSource.DEVICE, System.nanoTime()));
  }

  private void afterOpener(Turn current, OpenerDraft opener) {
    if (!current.cloudUsed()) {
      if (current.fallback == null && mode != AgentMode.DEVICE_ONLY) {
        current.fallback = "no cloud configured";
      }
      if (!opener.endsReply()) {
        completeLocally(current);
      }
      finish(current, mode == AgentMode.DEVICE_ONLY ? TurnStatus.COMPLETED : TurnStatus.LOCAL, null);
      return;
    }
    commit(current);
  }

  private void commit(Turn current) {
    current.committed = true;
    current.commitAt = System.nanoTime();
    current.cloudWords = new WordSplitter(piece -> cloudPiece(current, piece));
    current.cloudReply.append(String.join("", current.opener));
    if ("websocket".equals(current.transport)) {
      socket.commit(current.id, current.opener);
    } else if ("http".equals(current.transport)) {
      oneShot.send(current.id, history, current.userText, current.opener);
    }
    scheduleDeadline(current);
  }

  // ---- The cloud's events (on the loop). ----

  private boolean isLive(String turnId) {
    return turn != null && turn.id.equals(turnId) && !turn.finished && !turn.local;
  }

  private void cloudEvent(ServerEvent event) {
    String turnId = ((TurnEvent) event).turnId();
    if (!isLive(turnId)) {
      return; // late text of a turn that fell back or was cancelled: discarded
    }
    Turn current = turn;
    if (event instanceof OpenerAccept) {
      current.verdict = Verdict.ACCEPT;
      current.keptOpener = current.opener.size();
    } else if (event instanceof OpenerRewind) {
      int kept = Math.max(((OpenerRewind) event).keepWords(), current.heard);
      kept = Math.min(kept, current.opener.size());
      current.verdict = Verdict.REWIND;
      current.rewindTo(kept);
      Rewind rewind = new Rewind(current.id, kept);
      callbacks.execute(() -> listener.onRewind(rewind));
      socket.rewindAck(current.id, kept);
      scheduleDeadline(current); // the kept words end sooner than the committed ones
    } else if (event instanceof OpenerRepair) {
      current.verdict = Verdict.REPAIR;
      current.keptOpener = ((OpenerRepair) event).afterWords();
      RepairStart repair = new RepairStart(current.id, current.keptOpener);
      callbacks.execute(() -> listener.onRepairStart(repair));
    } else if (event instanceof ContinuationDelta) {
      String text = ((ContinuationDelta) event).text();
      current.cloudReply.append(text);
      current.cloudWords.accept(text);
      scheduleDeadline(current);
    } else if (event instanceof ContinuationDone) {
      cloudDone(current, (ContinuationDone) event);
    }
  }

  private void cloudPiece(Turn current, String piece) {
    long now = System.nanoTime();
    if (current.firstCloudWordAt < 0) {
      current.firstCloudWordAt = now;
      current.seam = current.opener.isEmpty() ? -1 : Math.max(0, now - current.openerEnd(now));
      latency.add(now - current.commitAt);
    }
    current.lastCloudWordAt = now;
    deliver(current, current.release(piece, WordSource.CLOUD, now));
  }

  private void cloudDone(Turn current, ContinuationDone done) {
    current.cloudWords.finish();
    current.cloudOutputTokens = done.usage().outputTokens();
    if (done.status() == DoneStatus.FAILED) {
      String code = done.failure() == null ? "failed" : done.failure().code().wireName();
      String message = done.failure() == null ? "the cloud failed the turn" : done.failure().message();
      fallBack(current, "cloud failed: " + code, new AgentException(AgentException.Kind.CLOUD_ERROR, code, message, null));
      return;
    }
    if (done.status() == DoneStatus.CANCELLED) {
      finish(current, TurnStatus.CANCELLED, null);
      return;
    }
    finish(current, done.status() == DoneStatus.TRUNCATED ? TurnStatus.TRUNCATED : TurnStatus.COMPLETED, null);
  }

  private void cloudLost(String turnId, AgentException reason) {
    if (turnId == null || !isLive(turnId)) {
      report(reason);
      return;
    }
    Turn current = turn;
    if ("websocket".equals(current.transport) && current.firstCloudWordAt < 0 && current.verdict == Verdict.NONE
        && reason.kind() != AgentException.Kind.CONTEXT_TOO_LARGE) {
      // The socket failed before the cloud said anything: the one-shot binding carries the turn.
      // Where the socket's session still holds the turn, it is cancelled there, or every later
      // turn.start would be out of order behind it.
      socket.cancel(current.id, CancelReason.CLIENT_ERROR);
      socket.turnFinished();
      current.transport = "http";
      report(reason);
      if (current.committed) {
        oneShot.send(current.id, history, current.userText, current.opener);
      }
      return;
    }
    if (!current.committed) {
      report(reason);
      if (reason.kind() == AgentException.Kind.CONTEXT_TOO_LARGE) {
        // Refused before the opener was made: the device answers alone as soon as the opener is out.
        socket.cancel(current.id, CancelReason.CLIENT_ERROR);
        socket.turnFinished();
        current.transport = "none";
        current.fallback = "the question is longer than the cloud accepts";
      }
      return;
    }
    fallBack(current, reason.kind() == AgentException.Kind.CONTEXT_TOO_LARGE ? "the question is longer than the cloud accepts"
        : "cloud lost: " + reason.getMessage(), reason);
  }

  // ---- Deadline and fallback (on the loop). ----

  /**
   * The cloud must deliver its first word before the opener finishes playing, and each next word
   * before the spoken text runs out, each plus the grace; otherwise the device completes the
   * sentence itself.
   */
  private void scheduleDeadline(Turn current) {
    if (current.deadline != null) {
      current.deadline.cancel(false);
      current.deadline = null;
    }
    if (current.finished || current.local || current.paused || mode == AgentMode.CLOUD_ONLY || current.opener.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    long due = (current.firstCloudWordAt < 0 ? current.openerEnd(now) : Math.max(now, current.speechEnd)) + graceNanos;
    current.deadline = loop.schedule(() -> {
      if (turn == current && !current.finished && !current.local && !current.paused) {
        fallBack(current, current.firstCloudWordAt < 0 ? "no cloud word before the opener ended" : "the cloud stalled mid-reply", null);
      }
    }, due - now);
  }

  private void fallBack(Turn current, String reason, AgentException error) {
    current.local = true;
    current.fallback = reason;
    if (current.deadline != null) {
      current.deadline.cancel(false);
    }
    if (error != null) {
      report(error);
    }
    stopCloudTurn(current, CancelReason.CLIENT_ERROR, Math.min(current.releasedWords(), Words.count(current.cloudReply)));
    if (!current.stop) {
      completeLocally(current);
    }
    finish(current, current.stop ? TurnStatus.CANCELLED : TurnStatus.LOCAL, error);
  }

  /**
   * Cancels the cloud's turn and truncates its reply to {@code wordsKept}: the words heard on a
   * barge-in; on a fallback the cloud's words the device kept (the rest of the reply is the
   * device's own and reaches the cloud with the next turn's history).
   */
  private void stopCloudTurn(Turn current, CancelReason reason, int wordsKept) {
    if ("websocket".equals(current.transport)) {
      socket.cancel(current.id, reason);
      if (current.committed) {
        socket.truncate(current.id, wordsKept);
        current.truncateSent = true;
      }
    } else if ("http".equals(current.transport)) {
      oneShot.cancel();
    }
  }

  private void completeLocally(Turn current) {
    String reply = current.released.toString();
    boolean fits = micro.completeLocally(history, current.userText, reply,
        word -> deliver(current, current.release(word, WordSource.DEVICE, System.nanoTime())),
        () -> current.stop);
    if (!fits) {
      report(new AgentException(AgentException.Kind.CONTEXT_TOO_LARGE, "the conversation does not fit the micro model's context: no local completion"));
    }
  }

  // ---- Playback (on the loop). ----

  private void onProgress(int wordsHeard, long now) {
    Turn current = turn != null ? turn : lastTurn;
    if (current == null) {
      return;
    }
    current.heard(wordsHeard, now);
    if (current == turn && current.committed && !current.local && "websocket".equals(current.transport)) {
      int reportable = Math.min(current.heard, Words.count(current.cloudReply));
      if (reportable > current.progressSent) {
        current.progressSent = reportable;
        socket.progress(current.id, reportable);
      }
    }
    if (current == turn) {
      scheduleDeadline(current);
    }
  }

  private void onCancel() {
    if (turn != null) {
      cancelTurn(turn, CancelReason.BARGE_IN);
      return;
    }
    Turn last = lastTurn;
    if (last == null || last.heard >= last.releasedWords()) {
      return;
    }
    // The reply was complete but is still playing: the history keeps what was heard.
    String heardText = Words.prefix(last.released, last.heard);
    replaceLastReply(heardText);
    if ("websocket".equals(last.transport) && last.committed && !last.truncateSent) {
      last.truncateSent = true;
      socket.truncate(last.id, Math.min(last.heard, Words.count(last.cloudReply)));
    }
    warm();
  }

  /** Stops the turn here and in the cloud; its reply keeps the words heard. */
  private void cancelTurn(Turn current, CancelReason reason) {
    current.stop = true;
    stopCloudTurn(current, reason, Math.min(current.heard, Words.count(current.cloudReply)));
    finish(current, TurnStatus.CANCELLED, null);
  }

  private void setPaused(boolean paused) {
    Turn current = turn != null ? turn : lastTurn;
    if (current == null || current.paused == paused) {
      return;
    }
    current.paused = paused;
    if (!paused) {
      long now = System.nanoTime();
      List<ReplyWord> again = new ArrayList<>();
      for (int i = 0; i < current.pieces.size(); i++) {
        ReplyWord piece = current.pieces.get(i);
        if (i >= current.emittedPieces) {
          again.add(piece); // held by the pause, even the punctuation of a word already heard
        } else if (piece.index() >= current.heard) {
          again.add(new ReplyWord(piece.text(), piece.source(), piece.index(), piece.sinceEndOfSpeechNanos(), true));
        }
      }
      current.emittedPieces = current.pieces.size();
      current.speechEnd = now + (current.releasedWords() - current.heard) * current.wordNanos();
      for (ReplyWord word : again) {
        callbacks.execute(() -> listener.onWord(word));
      }
      if (current == turn) {
        scheduleDeadline(current);
      }
    } else if (current.deadline != null) {
      current.deadline.cancel(false);
    }
  }

  // ---- Output (on the loop). ----

  private void deliver(Turn current, ReplyWord word) {
    if (current.paused) {
      return; // held; resume() delivers it
    }
    current.emittedPieces = current.pieces.size();
    callbacks.execute(() -> {
      if (!current.stop) { // a barge-in since: the word must not reach the speaker
        listener.onWord(word);
      }
    });
  }

  private void finish(Turn current, TurnStatus status, AgentException error) {
    if (current.finished) {
      return;
    }
    current.finished = true;
    if (current.deadline != null) {
      current.deadline.cancel(false);
    }
    String reply;
    if (status == TurnStatus.CANCELLED) {
      reply = Words.prefix(current.released, Math.min(current.heard, current.releasedWords()));
    } else if (current.local || !current.committed) {
      reply = current.released.toString();
    } else {
      reply = current.cloudReply.toString();
    }
    if (current.userText != null) {
      history.add(new HistoryItem(Role.USER, current.userText));
    }
    if (Words.count(reply) > 0) {
      history.add(new HistoryItem(Role.ASSISTANT, reply));
    }
    historySnapshot = Collections.unmodifiableList(new ArrayList<>(history));
    if (socket != null && "websocket".equals(current.transport)) {
      socket.turnFinished();
    }
    TurnResult result = new TurnResult(current.id, status, current.userText == null ? "" : current.userText, reply, current.metrics(mode), error);
    if (turn == current) {
      turn = null;
    }
    lastTurn = current;
    callbacks.execute(() -> {
      try {
        listener.onTurnDone(result);
      } finally {
        current.result.complete(result);
      }
    });
    if (!closed) {
      warm();
    }
  }

  private void replaceLastReply(String heardText) {
    int last = history.size() - 1;
    if (last >= 0 && history.get(last).role() == Role.ASSISTANT) {
      history.remove(last);
    }
    if (Words.count(heardText) > 0) {
      history.add(new HistoryItem(Role.ASSISTANT, heardText));
    }
    historySnapshot = Collections.unmodifiableList(new ArrayList<>(history));
  }

  /** Prefills the new history while nobody speaks, so that the next turn starts warm. */
  private void warm() {
    loop.execute(() -> {
      if (!closed && turn == null) {
        micro.warm(history);
      }
    });
  }

  /** On the loop: a bug broke a task; the running turn ends as failed rather than hanging. */
  void failed(AgentException error) {
    report(error);
    if (turn != null) {
      finish(turn, TurnStatus.FAILED, error);
    }
  }

  private void report(AgentException error) {
    callbacks.execute(() -> listener.onError(error));
  }
}

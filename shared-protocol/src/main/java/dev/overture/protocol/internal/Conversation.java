package dev.overture.protocol.internal;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContextHistory;
import dev.overture.protocol.ContinuationDelta;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.DoneStatus;
import dev.overture.protocol.ErrorCode;
import dev.overture.protocol.ErrorEvent;
import dev.overture.protocol.Event;
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
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ProtocolVersion;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionResumed;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.TurnEvent;
import dev.overture.protocol.TurnStart;
import dev.overture.protocol.TurnTruncate;
import dev.overture.protocol.TurnTruncated;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.Words;
import dev.overture.protocol.session.SessionPhase;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The ordering rules of the protocol, applied to the events of one session in the order one side
 * saw them. Both sides run the same rules: the device on what it sends and receives, the cloud
 * likewise. Sequence numbers are not checked here ({@link Endpoint} does that).
 *
 * <p>The rules are written so that every interleaving a real connection can produce passes on
 * both sides: whether an event is allowed depends only on its sender's own earlier events and on
 * the peer events the sender had received before sending it, and more peer events never make an
 * allowed event forbidden. That is why, for example, opener words are still accepted after the
 * server failed the turn (the device may not have seen the failure yet), and deltas are still
 * accepted after a cancel (they may have been in flight).
 *
 * <p>{@link #apply} either throws or records the event; a rejected event changes nothing.
 */
public final class Conversation {

  private static final String OPENING = "a connection starts with session.start or session.resume";

  private SessionPhase phase = SessionPhase.NEW;
  private ProtocolLimits limits;
  private List<Integer> offeredVersions;
  private String sessionId;
  private String resumeHandle;
  private boolean goAway;
  private boolean oneShot;
  private final Set<String> pendingPings = new HashSet<>();
  private final Set<String> usedTurnIds = new HashSet<>();
  /** The current turn (last) and earlier turns the server still owes events for, oldest first. */
  private final ArrayDeque<Turn> turns = new ArrayDeque<>();

  public Conversation(ProtocolLimits limits) {
    this.limits = limits;
  }

  public SessionPhase phase() {
    return phase;
  }

  public ProtocolLimits limits() {
    return limits;
  }

  public String sessionId() {
    return sessionId;
  }

  public String resumeHandle() {
    return resumeHandle;
  }

  public boolean goAway() {
    return goAway;
  }

  /** The id of the last turn started, or null. */
  public String currentTurnId() {
    Turn current = turns.peekLast();
    return current == null ? null : current.id;
  }

  /** The reply of the current turn as far as this side has seen it (kept opener, continuation). */
  public String currentReply() {
    Turn current = turns.peekLast();
    return current == null || !current.committed() ? "" : current.reply();
  }

  /**
   * The reply of turn {@code turnId} as far as this side has seen it, while the turn is tracked
   * (the current turn, and older ones the server still owes events); else null.
   */
  public String reply(String turnId) {
    for (Turn turn : turns) {
      if (turn.id.equals(turnId)) {
        return turn.committed() ? turn.reply() : "";
      }
    }
    return null;
  }

  /** The connection dropped: a started session can be resumed, anything else is over. */
  public void connectionLost() {
    pendingPings.clear();
    goAway = false;
    if (phase == SessionPhase.ESTABLISHED || phase == SessionPhase.RESUMING) {
      phase = SessionPhase.DISCONNECTED;
    } else if (phase != SessionPhase.DISCONNECTED) {
      phase = SessionPhase.CLOSED;
    }
  }

  /** This session is one {@code POST /v1/continue} exchange: the device cannot ack a rewind. */
  public void markOneShot() {
    oneShot = true;
  }

  /** Ends the session (after a fatal error). */
  public void close() {
    phase = SessionPhase.CLOSED;
  }

  /** Checks {@code event} against the rules and records it; throws without recording otherwise. */
  public void apply(Event event) throws ProtocolException {
    if (event instanceof ErrorEvent) {
      if (((ErrorEvent) event).fatal()) {
        phase = SessionPhase.CLOSED;
      }
      return;
    }
    if (phase == SessionPhase.CLOSED) {
      throw ProtocolException.fatalAbout(event, ErrorCode.OUT_OF_ORDER, "the session is closed");
    }
    if (phase == SessionPhase.NEW) {
      requireOpening(event);
    }
    if (event instanceof UnknownEvent) {
      // Ignored (its sequence number is consumed) wherever a known event could come: a future
      // event type does not open a connection, nor does it come before session.resume.
      requireConnected(event);
      return;
    }
    if (event instanceof SessionStart) {
      sessionStart((SessionStart) event);
    } else if (event instanceof SessionResume) {
      sessionResume((SessionResume) event);
    } else if (event instanceof SessionStarted) {
      sessionStarted((SessionStarted) event);
    } else if (event instanceof SessionResumed) {
      sessionResumed((SessionResumed) event);
    } else if (event instanceof Ping) {
      requireConnected(event);
      pendingPings.add(event.eventId());
    } else if (event instanceof Pong) {
      requireConnected(event);
      if (!pendingPings.remove(((Pong) event).inReplyTo())) {
        throw outOfOrder(event, "pong answers no outstanding ping");
      }
    } else if (event instanceof GoAway) {
      requireConnected(event);
      goAway = true;
    } else if (event instanceof ClientEvent) {
      clientTurnEvent((TurnEvent) event);
    } else {
      serverTurnEvent((TurnEvent) event);
    }
    pruneTurns();
  }

  /**
   * Throws the fatal {@code out_of_order} unless {@code event} can open a connection: a {@code
   * session.start} or {@code session.resume}. Without a session nothing else can be answered, and a
   * connection left open without one could never start a session (sequence number 1 is taken).
   */
  public void requireOpening(Event event) throws ProtocolException {
    if (!(event instanceof SessionStart) && !(event instanceof SessionResume)) {
      throw ProtocolException.fatalAbout(event, ErrorCode.OUT_OF_ORDER, OPENING);
    }
  }

  /**
   * A rejected first frame of a connection, as the fatal error it is: a failure that would leave a
   * session usable becomes the fatal {@code out_of_order} (naming the original problem), since no
   * session exists for it to leave usable.
   */
  public static ProtocolException openingFailure(ProtocolException rejected) {
    if (rejected.fatal()) {
      return rejected;
    }
    return new ProtocolException(
        ErrorCode.OUT_OF_ORDER,
        OPENING + " (" + rejected.getMessage() + ")",
        true,
        rejected.inReplyTo(),
        rejected.rejectedSeq().orElse(-1));
  }

  private void sessionStart(SessionStart start) throws ProtocolException {
    if (phase != SessionPhase.NEW) {
      throw outOfOrder(start, "the session has already started");
    }
    if (ProtocolVersion.negotiate(start.protocolVersions()) < 0) {
      throw ProtocolException.fatalAbout(
          start,
          ErrorCode.UNSUPPORTED_VERSION,
          "none of " + start.protocolVersions() + " is supported; this side speaks "
              + ProtocolVersion.CURRENT);
    }
    offeredVersions = start.protocolVersions();
    phase = SessionPhase.STARTING;
  }

  private void sessionResume(SessionResume resume) throws ProtocolException {
    if (phase == SessionPhase.NEW) {
      throw ProtocolException.fatalAbout(resume, ErrorCode.UNKNOWN_SESSION, "no such session");
    }
    if (phase != SessionPhase.DISCONNECTED) {
      throw outOfOrder(resume, "the session is not disconnected");
    }
    if (!resume.resumeHandle().equals(resumeHandle)) {
      throw ProtocolException.fatalAbout(
          resume, ErrorCode.UNKNOWN_SESSION, "the resume handle names no session");
    }
    phase = SessionPhase.RESUMING;
  }

  private void sessionStarted(SessionStarted started) throws ProtocolException {
    if (phase != SessionPhase.STARTING) {
      throw outOfOrder(started, "session.started answers no session.start");
    }
    // Offered is not enough: an offer may name versions this library does not speak (a client
    // that lists a future version first), and a session in one of those could not be kept.
    int version = started.protocolVersion();
    if (!offeredVersions.contains(version) || version != ProtocolVersion.CURRENT) {
      throw ProtocolException.fatalAbout(
          started,
          ErrorCode.UNSUPPORTED_VERSION,
          offeredVersions.contains(version)
              ? "version " + version + " was offered but this side speaks " + ProtocolVersion.CURRENT
              : "version " + version + " was not offered");
    }
    sessionId = started.sessionId();
    resumeHandle = started.resumeHandle();
    limits = started.limits();
    phase = SessionPhase.ESTABLISHED;
  }

  private void sessionResumed(SessionResumed resumed) throws ProtocolException {
    if (phase != SessionPhase.RESUMING) {
      throw outOfOrder(resumed, "session.resumed answers no session.resume");
    }
    if (!resumed.sessionId().equals(sessionId)) {
      throw ProtocolException.fatalAbout(
          resumed, ErrorCode.UNKNOWN_SESSION, "resumed a different session");
    }
    phase = SessionPhase.ESTABLISHED;
  }

  private void requireConnected(Event event) throws ProtocolException {
    if (phase == SessionPhase.DISCONNECTED) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.OUT_OF_ORDER, "a new connection starts with session.resume");
    }
  }

  private void clientTurnEvent(TurnEvent event) throws ProtocolException {
    if (phase != SessionPhase.STARTING && phase != SessionPhase.ESTABLISHED) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.OUT_OF_ORDER, "turn events need a started or resumed session");
    }
    if (event instanceof TurnStart) {
      turnStart((TurnStart) event);
      return;
    }
    Turn turn = turns.peekLast();
    if (turn == null || !turn.id.equals(event.turnId())) {
      throw unknownOrStale(event, "is not the current turn");
    }
    if (event instanceof ContextHistory) {
      contextHistory(turn, (ContextHistory) event);
    } else if (event instanceof InputPartial) {
      inputPartial(turn, (InputPartial) event);
    } else if (event instanceof InputFinal) {
      inputFinal(turn, (InputFinal) event);
    } else if (event instanceof OpenerWord) {
      openerWord(turn, (OpenerWord) event);
    } else if (event instanceof OpenerCommit) {
      openerCommit(turn, (OpenerCommit) event);
    } else if (event instanceof OpenerRewindAck) {
      rewindAck(turn, (OpenerRewindAck) event);
    } else if (event instanceof PlaybackProgress) {
      playbackProgress(turn, (PlaybackProgress) event);
    } else if (event instanceof TurnCancel) {
      if (turn.cancelled) {
        throw outOfOrder(event, "the turn is already cancelled");
      }
      turn.cancelled = true;
    } else {
      turnTruncate(turn, (TurnTruncate) event);
    }
  }

  private void turnStart(TurnStart start) throws ProtocolException {
    if (usedTurnIds.contains(start.turnId())) {
      throw ProtocolException.about(
          start, ErrorCode.INVALID_EVENT, "turn id " + start.turnId() + " was already used");
    }
    Turn current = turns.peekLast();
    if (current != null && !current.done() && !current.cancelled) {
      throw outOfOrder(
          start, "turn " + current.id + " is still running; wait for its done or cancel it");
    }
    usedTurnIds.add(start.turnId());
    turns.addLast(new Turn(start.turnId()));
  }

  private void contextHistory(Turn turn, ContextHistory history) throws ProtocolException {
    requireOpenInput(turn, history);
    if (turn.historySent || turn.revision > 0) {
      throw outOfOrder(history, "context.history comes once, before any transcript of the turn");
    }
    int chars = 0;
    for (HistoryItem item : history.items()) {
      chars += Utf8.codePoints(item.text());
    }
    turn.historySent = true;
    turn.contextChars = chars;
  }

  private void inputPartial(Turn turn, InputPartial partial) throws ProtocolException {
    requireOpenInput(turn, partial);
    if (partial.revision() != turn.revision + 1) {
      throw invalid(partial, "expected revision " + (turn.revision + 1));
    }
    turn.revision = partial.revision();
  }

  private void inputFinal(Turn turn, InputFinal input) throws ProtocolException {
    requireOpenInput(turn, input);
    int chars = turn.contextChars + Utf8.codePoints(input.text());
    if (chars > limits.maxContextChars()) {
      throw ProtocolException.about(
          input, ErrorCode.CONTEXT_TOO_LARGE, "history and user text exceed max_context_chars");
    }
    turn.finalSent = true;
    turn.contextChars = chars;
  }

  private void requireOpenInput(Turn turn, TurnEvent event) throws ProtocolException {
    if (turn.cancelled) {
      throw outOfOrder(event, "the turn is cancelled");
    }
    if (turn.finalSent) {
      throw outOfOrder(event, "input.final was already sent");
    }
  }

  private void openerWord(Turn turn, OpenerWord word) throws ProtocolException {
    requireOpenOpener(turn, word);
    if (word.index() != turn.words.size()) {
      throw invalid(word, "expected word index " + turn.words.size());
    }
    turn.words.add(word.text());
  }

  private void openerCommit(Turn turn, OpenerCommit commit) throws ProtocolException {
    requireOpenOpener(turn, commit);
    if (commit.wordCount() > turn.words.size()) {
      throw invalid(commit, "only " + turn.words.size() + " words were streamed");
    }
    if (!commit.text().equals(turn.openerText(commit.wordCount()))) {
      throw invalid(commit, "text is not the concatenation of the streamed words");
    }
    turn.committedWords = commit.wordCount();
  }

  private void requireOpenOpener(Turn turn, TurnEvent event) throws ProtocolException {
    if (turn.cancelled) {
      throw outOfOrder(event, "the turn is cancelled");
    }
    if (!turn.finalSent) {
      throw outOfOrder(event, "the opener follows input.final");
    }
    if (turn.committed()) {
      throw outOfOrder(event, "the opener is already committed");
    }
  }

  private void rewindAck(Turn turn, OpenerRewindAck ack) throws ProtocolException {
    if (turn.verdict != Turn.Verdict.REWIND_REQUESTED) {
      throw outOfOrder(ack, "no opener.rewind to acknowledge");
    }
    if (turn.cancelled) {
      throw outOfOrder(ack, "the turn is cancelled");
    }
    if (turn.truncateWords >= 0) {
      throw outOfOrder(ack, "the turn is already truncated");
    }
    if (ack.keptWords() < turn.keepWords || ack.keptWords() > turn.committedWords) {
      throw invalid(ack, "kept_words must be between keep_words and the committed word count");
    }
    if (ack.keptWords() < turn.wordsHeard) {
      throw invalid(ack, turn.wordsHeard + " words were already reported heard");
    }
    turn.verdict = Turn.Verdict.REWOUND;
    turn.keptWords = ack.keptWords();
  }

  private void playbackProgress(Turn turn, PlaybackProgress progress) throws ProtocolException {
    requireHeardWords(turn, progress, progress.wordsHeard());
    if (turn.truncateWords >= 0) {
      throw outOfOrder(progress, "the turn is already truncated");
    }
    turn.wordsHeard = progress.wordsHeard();
  }

  private void turnTruncate(Turn turn, TurnTruncate truncate) throws ProtocolException {
    requireHeardWords(turn, truncate, truncate.wordsHeard());
    if (!turn.done() && !turn.cancelled) {
      throw outOfOrder(truncate, "the turn is still generating; cancel it first");
    }
    if (turn.truncateWords >= 0) {
      throw outOfOrder(truncate, "the turn is already truncated");
    }
    turn.truncateWords = truncate.wordsHeard();
  }

  private void requireHeardWords(Turn turn, TurnEvent event, int heard) throws ProtocolException {
    if (!turn.committed()) {
      throw outOfOrder(event, "nothing can be heard before opener.commit");
    }
    if (heard < turn.wordsHeard) {
      throw invalid(event, "words_heard decreased from " + turn.wordsHeard);
    }
    int available = Words.count(turn.reply());
    if (heard > available) {
      throw invalid(event, "the reply has only " + available + " words so far");
    }
  }

  private void serverTurnEvent(TurnEvent event) throws ProtocolException {
    if (phase != SessionPhase.ESTABLISHED) {
      throw ProtocolException.fatalAbout(
          event, ErrorCode.OUT_OF_ORDER, "turn events need an established session");
    }
    Turn turn = null;
    for (Turn candidate : turns) {
      if (candidate.owesServerEvents()) {
        turn = candidate;
        break;
      }
    }
    if (turn == null || !turn.id.equals(event.turnId())) {
      throw unknownOrStale(event, "is not the turn the server answers now");
    }
    if (event instanceof TurnTruncated) {
      turnTruncated(turn, (TurnTruncated) event);
      return;
    }
    if (turn.done()) {
      throw outOfOrder(event, "the turn is done");
    }
    if (event instanceof OpenerAccept) {
      requireVerdictOpen(turn, event);
      if (((OpenerAccept) event).wordCount() != turn.committedWords) {
        throw invalid(event, "word_count must be the committed " + turn.committedWords);
      }
      turn.verdict = Turn.Verdict.ACCEPTED;
    } else if (event instanceof OpenerRewind) {
      requireVerdictOpen(turn, event);
      if (oneShot) {
        throw outOfOrder(event, "a one-shot request cannot acknowledge a rewind; repair instead");
      }
      int keep = ((OpenerRewind) event).keepWords();
      if (keep >= turn.committedWords) {
        throw invalid(event, "keep_words must be less than the committed " + turn.committedWords);
      }
      turn.verdict = Turn.Verdict.REWIND_REQUESTED;
      turn.keepWords = keep;
    } else if (event instanceof OpenerRepair) {
      openerRepair(turn, (OpenerRepair) event);
    } else if (event instanceof ContinuationDelta) {
      if (!turn.anchored()) {
        throw outOfOrder(event, "the continuation follows the opener verdict");
      }
      turn.continuation.append(((ContinuationDelta) event).text());
    } else {
      continuationDone(turn, (ContinuationDone) event);
    }
  }

  private void requireVerdictOpen(Turn turn, TurnEvent event) throws ProtocolException {
    if (!turn.committed()) {
      throw outOfOrder(event, "the verdict follows opener.commit");
    }
    if (turn.verdict != Turn.Verdict.NONE) {
      throw outOfOrder(event, "the opener verdict was already given");
    }
  }

  private void openerRepair(Turn turn, OpenerRepair repair) throws ProtocolException {
    int expected;
    if (turn.verdict == Turn.Verdict.NONE) {
      requireVerdictOpen(turn, repair);
      expected = turn.committedWords;
    } else if (turn.verdict == Turn.Verdict.REWOUND && turn.keptWords > turn.keepWords) {
      expected = turn.keptWords;
    } else {
      throw outOfOrder(repair, "a repair follows the commit or a rewind ack that kept extra words");
    }
    if (repair.afterWords() != expected) {
      throw invalid(repair, "after_words must be " + expected);
    }
    turn.verdict = Turn.Verdict.REPAIRED;
  }

  private void continuationDone(Turn turn, ContinuationDone done) throws ProtocolException {
    DoneStatus status = done.status();
    if (status == DoneStatus.CANCELLED && !turn.cancelled) {
      throw invalid(done, "cancelled, but the client sent no turn.cancel");
    }
    if ((status == DoneStatus.COMPLETED || status == DoneStatus.TRUNCATED) && !turn.anchored()) {
      throw outOfOrder(done, status + " before the opener verdict settled the reply");
    }
    turn.doneStatus = status;
  }

  private void turnTruncated(Turn turn, TurnTruncated truncated) throws ProtocolException {
    if (turn.truncateWords < 0 || turn.truncatedSent || !turn.done()) {
      throw outOfOrder(truncated, "turn.truncated answers a turn.truncate after the turn's done");
    }
    if (truncated.wordsHeard() != turn.truncateWords) {
      throw invalid(truncated, "words_heard must be " + turn.truncateWords);
    }
    String reply = turn.reply();
    if (Words.count(reply) < turn.truncateWords
        || !truncated.text().equals(Words.prefix(reply, turn.truncateWords))) {
      throw invalid(truncated, "text must be the reply cut to words_heard words");
    }
    turn.truncatedSent = true;
  }

  /** Drops turns that are neither current nor owed events. */
  private void pruneTurns() {
    Turn current = turns.peekLast();
    for (Iterator<Turn> it = turns.iterator(); it.hasNext(); ) {
      Turn turn = it.next();
      if (turn != current && !turn.owesServerEvents()) {
        it.remove();
      }
    }
  }

  private ProtocolException unknownOrStale(TurnEvent event, String problem) {
    if (usedTurnIds.contains(event.turnId())) {
      return outOfOrder(event, "turn " + event.turnId() + " " + problem);
    }
    return ProtocolException.about(
        event, ErrorCode.UNKNOWN_TURN, "turn " + event.turnId() + " was never started");
  }

  private static ProtocolException outOfOrder(Event event, String message) {
    return ProtocolException.about(event, ErrorCode.OUT_OF_ORDER, message);
  }

  private static ProtocolException invalid(Event event, String message) {
    return ProtocolException.about(event, ErrorCode.INVALID_EVENT, message);
  }
}

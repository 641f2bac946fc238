package dev.overture.protocol.internal;

import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.ConnectionEvent;
import dev.overture.protocol.ContextHistory;
import dev.overture.protocol.ContinuationDelta;
import dev.overture.protocol.ContinuationDone;
import dev.overture.protocol.ContinueRequest;
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
import dev.overture.protocol.PlaybackProgress;
import dev.overture.protocol.Pong;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionResumed;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.SessionStarted;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.TurnEvent;
import dev.overture.protocol.TurnTruncate;
import dev.overture.protocol.TurnTruncated;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.Usage;
import dev.overture.protocol.Words;
import java.util.HashSet;
import java.util.List;

/**
 * The field rules of every event and of {@link ContinueRequest}: presence, ranges, formats and the
 * size limits that one event can break on its own. Rules that need earlier events (ordering,
 * counts that must match) live in {@link Conversation}.
 */
public final class EventValidator {

  /** Largest sequence number: 2^53 - 1, the largest integer every JSON implementation keeps exact. */
  public static final long MAX_SEQ = 9_007_199_254_740_991L;

  static final int MAX_ID_CHARS = 64;
  static final int MAX_HANDLE_CHARS = 256;
  static final int MAX_MESSAGE_CHARS = ErrorEvent.MAX_MESSAGE_CHARS;
  static final int MAX_CLIENT_FIELD_CHARS = 64;
  static final int MAX_MODEL_CHARS = 128;
  static final int MAX_VERSIONS = 16;

  private final String subject;
  private final String inReplyTo;
  private final long seq;
  private final ProtocolLimits limits;

  private EventValidator(String subject, String inReplyTo, long seq, ProtocolLimits limits) {
    this.subject = subject;
    this.inReplyTo = inReplyTo;
    this.seq = seq;
    this.limits = limits;
  }

  /** Throws the first rule {@code event} breaks under {@code limits}. */
  public static void validate(Event event, ProtocolLimits limits) throws ProtocolException {
    String type = EventTypes.typeOf(event);
    // An unknown type is the peer's text: quoted in a message only when it is a plain name.
    String subject = type == null || !isId(type) ? "event" : type;
    envelope(event, subject);
    new EventValidator(subject, event.eventId(), event.seq(), limits).fields(event);
  }

  /** Throws the first rule {@code request} breaks under {@code limits}. */
  public static void validate(ContinueRequest request, ProtocolLimits limits)
      throws ProtocolException {
    new EventValidator("continue_request", null, -1, limits).request(request);
  }

  /** Whether {@code id} is a valid event or turn id. */
  public static boolean isId(String id) {
    return matches(id, MAX_ID_CHARS, "._:-");
  }

  private static void envelope(Event event, String subject) throws ProtocolException {
    long seq = event.seq();
    String id = isId(event.eventId()) ? event.eventId() : null;
    if (event instanceof UnknownEvent && ((UnknownEvent) event).type() == null) {
      throw new ProtocolException(ErrorCode.INVALID_EVENT, "event.type: missing", true, id, -1);
    }
    if (event instanceof ConnectionEvent) {
      if (seq != 0) {
        throw new ProtocolException(
            ErrorCode.INVALID_EVENT, subject + ".seq: must be 0 for a connection event", false, id, -1);
      }
    } else if (seq < (event instanceof UnknownEvent ? 0 : 1) || seq > MAX_SEQ) {
      throw new ProtocolException(
          ErrorCode.INVALID_EVENT, subject + ".seq: out of range: " + seq, true, id, -1);
    }
    if (id == null) {
      throw new ProtocolException(
          ErrorCode.INVALID_EVENT,
          subject + ".event_id: must be 1 to 64 characters of [A-Za-z0-9._:-]",
          false,
          null,
          seq);
    }
  }

  private void fields(Event event) throws ProtocolException {
    if (event instanceof TurnEvent) {
      id("turn_id", ((TurnEvent) event).turnId());
    }
    if (event instanceof SessionStart) {
      sessionStart((SessionStart) event);
    } else if (event instanceof SessionResume) {
      SessionResume resume = (SessionResume) event;
      handle("resume_handle", resume.resumeHandle());
      seqValue("last_server_seq", resume.lastServerSeq());
    } else if (event instanceof ContextHistory) {
      history("items", ((ContextHistory) event).items());
    } else if (event instanceof InputPartial) {
      InputPartial partial = (InputPartial) event;
      require(partial.revision() >= 1, "revision", "must be at least 1");
      contextText("text", partial.text());
    } else if (event instanceof InputFinal) {
      userText("text", ((InputFinal) event).text());
    } else if (event instanceof OpenerWord) {
      OpenerWord word = (OpenerWord) event;
      require(word.index() >= 0, "index", "must not be negative");
      openerWord("text", word.index(), word.text());
    } else if (event instanceof OpenerCommit) {
      openerCommit((OpenerCommit) event);
    } else if (event instanceof OpenerRewindAck) {
      wordCount("kept_words", ((OpenerRewindAck) event).keptWords());
    } else if (event instanceof PlaybackProgress) {
      require(((PlaybackProgress) event).wordsHeard() >= 0, "words_heard", "must not be negative");
    } else if (event instanceof TurnCancel) {
      present("reason", ((TurnCancel) event).reason());
    } else if (event instanceof TurnTruncate) {
      require(((TurnTruncate) event).wordsHeard() >= 0, "words_heard", "must not be negative");
    } else if (event instanceof ErrorEvent) {
      ErrorEvent error = (ErrorEvent) event;
      present("code", error.code());
      text("message", error.message(), MAX_MESSAGE_CHARS);
      if (error.inReplyTo() != null) {
        id("in_reply_to", error.inReplyTo());
      }
    } else if (event instanceof SessionStarted) {
      sessionStarted((SessionStarted) event);
    } else if (event instanceof SessionResumed) {
      SessionResumed resumed = (SessionResumed) event;
      handle("session_id", resumed.sessionId());
      seqValue("last_client_seq", resumed.lastClientSeq());
    } else if (event instanceof Pong) {
      id("in_reply_to", ((Pong) event).inReplyTo());
    } else if (event instanceof GoAway) {
      GoAway goAway = (GoAway) event;
      require(goAway.timeLeftMs() >= 0, "time_left_ms", "must not be negative");
      if (goAway.reason() != null) {
        text("reason", goAway.reason(), MAX_MESSAGE_CHARS);
      }
    } else if (event instanceof OpenerAccept) {
      wordCount("word_count", ((OpenerAccept) event).wordCount());
    } else if (event instanceof OpenerRewind) {
      int keep = ((OpenerRewind) event).keepWords();
      require(keep >= 0 && keep < limits.maxOpenerWords(), "keep_words", "out of range: " + keep);
    } else if (event instanceof OpenerRepair) {
      wordCount("after_words", ((OpenerRepair) event).afterWords());
    } else if (event instanceof ContinuationDelta) {
      String text = ((ContinuationDelta) event).text();
      wellFormed("text", text);
      require(!text.isEmpty(), "text", "must not be empty");
    } else if (event instanceof ContinuationDone) {
      continuationDone((ContinuationDone) event);
    } else if (event instanceof TurnTruncated) {
      TurnTruncated truncated = (TurnTruncated) event;
      require(truncated.wordsHeard() >= 0, "words_heard", "must not be negative");
      wellFormed("text", truncated.text());
      require(
          Words.count(truncated.text()) == truncated.wordsHeard(),
          "text",
          "must hold exactly words_heard words");
    }
  }

  private void sessionStart(SessionStart start) throws ProtocolException {
    List<Integer> versions = start.protocolVersions();
    present("protocol_versions", versions);
    require(
        !versions.isEmpty() && versions.size() <= MAX_VERSIONS,
        "protocol_versions",
        "must hold 1 to " + MAX_VERSIONS + " versions");
    HashSet<Integer> seen = new HashSet<>();
    for (Integer version : versions) {
      require(version != null && version >= 1, "protocol_versions", "versions are at least 1");
      require(seen.add(version), "protocol_versions", "duplicate version " + version);
    }
    clientInfo(start.client());
  }

  private void clientInfo(ClientInfo client) throws ProtocolException {
    present("client", client);
    text("client.name", client.name(), MAX_CLIENT_FIELD_CHARS);
    require(!client.name().isEmpty(), "client.name", "must not be empty");
    text("client.version", client.version(), MAX_CLIENT_FIELD_CHARS);
    require(!client.version().isEmpty(), "client.version", "must not be empty");
    if (client.platform() != null) {
      text("client.platform", client.platform(), MAX_CLIENT_FIELD_CHARS);
    }
    if (client.openerModel() != null) {
      text("client.opener_model", client.openerModel(), MAX_MODEL_CHARS);
    }
  }

  private void sessionStarted(SessionStarted started) throws ProtocolException {
    require(started.protocolVersion() >= 1, "protocol_version", "must be at least 1");
    handle("session_id", started.sessionId());
    handle("resume_handle", started.resumeHandle());
    ProtocolLimits announced = started.limits();
    present("limits", announced);
    require(
        announced.maxFrameBytes() >= ProtocolLimits.MIN_FRAME_BYTES,
        "limits.max_frame_bytes",
        "must be at least " + ProtocolLimits.MIN_FRAME_BYTES);
    require(
        announced.maxContextChars() > 0
            && announced.maxHistoryItems() > 0
            && announced.maxOpenerWords() > 0
            && announced.maxWordChars() > 0
            && announced.maxEventsPerSecond() > 0
            && announced.pingIntervalMs() > 0
            && announced.idleTimeoutMs() > 0
            && announced.rewindAckTimeoutMs() > 0
            && announced.resumeWindowMs() > 0
            && announced.replayBufferEvents() > 0,
        "limits",
        "every limit must be positive");
  }

  private void openerCommit(OpenerCommit commit) throws ProtocolException {
    wordCount("word_count", commit.wordCount());
    wellFormed("text", commit.text());
    String text = commit.text();
    require(
        text.isEmpty()
            || (!Words.isSeparator(text.charAt(0))
                && !Words.isSeparator(text.charAt(text.length() - 1))),
        "text",
        "must not start or end with a separator");
    require(Words.count(text) == commit.wordCount(), "text", "must hold exactly word_count words");
  }

  private void continuationDone(ContinuationDone done) throws ProtocolException {
    present("status", done.status());
    Usage usage = done.usage();
    present("usage", usage);
    require(
        usage.inputTokens() >= 0 && usage.outputTokens() >= 0 && usage.cachedInputTokens() >= 0,
        "usage",
        "token counts must not be negative");
    require(
        usage.cachedInputTokens() <= usage.inputTokens(),
        "usage.cached_input_tokens",
        "must not exceed input_tokens");
    boolean failed = done.status() == DoneStatus.FAILED;
    require(
        failed == (done.failure() != null),
        "failure",
        failed ? "required when status is failed" : "only allowed when status is failed");
    if (failed) {
      present("failure.code", done.failure().code());
      text("failure.message", done.failure().message(), MAX_MESSAGE_CHARS);
    }
  }

  private void request(ContinueRequest request) throws ProtocolException {
    require(request.protocolVersion() >= 1, "protocol_version", "must be at least 1");
    id("turn_id", request.turnId());
    int historyChars = history("history", request.history());
    int userChars = userText("user_text", request.userText());
    if (historyChars + userChars > limits.maxContextChars()) {
      throw fail(ErrorCode.CONTEXT_TOO_LARGE, "history", "history and user_text exceed max_context_chars");
    }
    List<String> words = request.openerWords();
    present("opener_words", words);
    if (words.size() > limits.maxOpenerWords()) {
      throw fail(ErrorCode.OPENER_TOO_LONG, "opener_words", "more than max_opener_words words");
    }
    for (int i = 0; i < words.size(); i++) {
      openerWord("opener_words[" + i + "]", i, words.get(i));
    }
    if (request.client() != null) {
      clientInfo(request.client());
    }
    if (request.options() != null && request.options().maxOutputTokens() != null) {
      require(
          request.options().maxOutputTokens() >= 1, "options.max_output_tokens", "must be at least 1");
    }
  }

  /** Checks history items; returns their total length in code points. */
  private int history(String field, List<HistoryItem> items) throws ProtocolException {
    present(field, items);
    if (items.size() > limits.maxHistoryItems()) {
      throw fail(ErrorCode.CONTEXT_TOO_LARGE, field, "more than max_history_items items");
    }
    long chars = 0;
    for (int i = 0; i < items.size(); i++) {
      HistoryItem item = items.get(i);
      String at = field + "[" + i + "]";
      present(at, item);
      present(at + ".role", item.role());
      wellFormed(at + ".text", item.text());
      chars += Utf8.codePoints(item.text());
    }
    if (chars > limits.maxContextChars()) {
      throw fail(ErrorCode.CONTEXT_TOO_LARGE, field, "more than max_context_chars characters");
    }
    return (int) chars;
  }

  /** Checks a final user text; returns its length in code points. */
  private int userText(String field, String text) throws ProtocolException {
    int chars = contextText(field, text);
    require(Words.count(text) > 0, field, "must hold at least one word");
    return chars;
  }

  private int contextText(String field, String text) throws ProtocolException {
    wellFormed(field, text);
    int chars = Utf8.codePoints(text);
    if (chars > limits.maxContextChars()) {
      throw fail(ErrorCode.CONTEXT_TOO_LARGE, field, "more than max_context_chars characters");
    }
    return chars;
  }

  private void openerWord(String field, int index, String text) throws ProtocolException {
    if (index >= limits.maxOpenerWords()) {
      throw fail(ErrorCode.OPENER_TOO_LONG, field, "word " + index + " exceeds max_opener_words");
    }
    text(field, text, limits.maxWordChars());
    require(
        Words.isOpenerWord(text, index == 0),
        field,
        index == 0
            ? "the first word is one word without leading separator"
            : "a later word is separators followed by one word");
  }

  private void wordCount(String field, int count) throws ProtocolException {
    require(count >= 0, field, "must not be negative");
    if (count > limits.maxOpenerWords()) {
      throw fail(ErrorCode.OPENER_TOO_LONG, field, count + " exceeds max_opener_words");
    }
  }

  private void seqValue(String field, long value) throws ProtocolException {
    require(value >= 0 && value <= MAX_SEQ, field, "out of range: " + value);
  }

  private void id(String field, String value) throws ProtocolException {
    require(isId(value), field, "must be 1 to 64 characters of [A-Za-z0-9._:-]");
  }

  private void handle(String field, String value) throws ProtocolException {
    require(
        matches(value, MAX_HANDLE_CHARS, "._:~+/=-"),
        field,
        "must be 1 to 256 characters of [A-Za-z0-9._:~+/=-]");
  }

  private void text(String field, String value, int maxChars) throws ProtocolException {
    wellFormed(field, value);
    require(Utf8.codePoints(value) <= maxChars, field, "longer than " + maxChars + " characters");
  }

  private void wellFormed(String field, String value) throws ProtocolException {
    present(field, value);
    require(Utf8.isWellFormed(value), field, "has an unpaired surrogate");
  }

  private void present(String field, Object value) throws ProtocolException {
    require(value != null, field, "missing");
  }

  private void require(boolean condition, String field, String problem) throws ProtocolException {
    if (!condition) {
      throw fail(ErrorCode.INVALID_EVENT, field, problem);
    }
  }

  private ProtocolException fail(ErrorCode code, String field, String problem) {
    return new ProtocolException(code, subject + "." + field + ": " + problem, false, inReplyTo, seq);
  }

  private static boolean matches(String value, int maxChars, String punctuation) {
    if (value == null || value.isEmpty() || value.length() > maxChars) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && punctuation.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}

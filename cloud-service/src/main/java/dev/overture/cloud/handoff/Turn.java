package dev.overture.cloud.handoff;

import dev.overture.cloud.admission.Permit;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Usage;
import java.util.ArrayList;
import java.util.List;
import reactor.core.Disposable;

/**
 * The cloud's facts about one turn, owned by its {@link HandoffSession} (touched on the session's
 * pipeline only).
 */
final class Turn {

  /** Where the turn stands on the cloud side. */
  enum Stage {
    /** Collecting the user's input and the opener words. */
    INPUT,
    /** Committed; waiting for an engine slot. */
    ADMITTING,
    /** The engine scores the opener. */
    SCORING,
    /** An {@code opener.rewind} went out; waiting for the ack. */
    AWAITING_ACK,
    /** The continuation is being generated. */
    GENERATING,
    /** {@code continuation.done} went out (or the session ended). */
    DONE
  }

  final String id;
  final boolean canRewind;
  Stage stage = Stage.INPUT;
  String userText = "";
  String finalText;
  final List<String> words = new ArrayList<>();
  int committed = -1;
  int keepWords = -1;
  /** Opener words in the reply: set by accept, repair or the rewind ack (even a late one). */
  int keptWords = -1;
  final StringBuilder continuation = new StringBuilder();
  int wordsHeard;
  String truncatedText;
  int maxTokens;
  Permit permit;
  Disposable work;
  Disposable ackTimer;
  long commitNanos;
  long generationNanos;
  boolean deltaSent;
  long inputTokens;
  long cachedInputTokens;
  long outputTokens;
  /** The engine said a length limit ended the reply. */
  boolean cutShort;

  Turn(String id, boolean canRewind, int maxTokens) {
    this.id = id;
    this.canRewind = canRewind;
    this.maxTokens = maxTokens;
  }

  boolean finished() {
    return stage == Stage.DONE;
  }

  /** The first {@code count} opener words, concatenated. */
  String openerText(int count) {
    return String.join("", words.subList(0, count));
  }

  /** The committed opener's words. */
  List<String> committedWords() {
    return List.copyOf(words.subList(0, committed));
  }

  /**
   * The reply as both sides count it: the opener words that stay (the rewind ack's count, else
   * all committed ones), then every delta sent.
   */
  String reply() {
    if (committed < 0) {
      return "";
    }
    return openerText(keptWords >= 0 ? keptWords : committed) + continuation;
  }

  /**
   * The reply as the session history keeps it (protocol section 4): the truncated text after a
   * {@code turn.truncate}, else the whole reply, also of a failed or cancelled turn (its words
   * were spoken).
   */
  String historyText() {
    return truncatedText != null ? truncatedText : reply();
  }

  ConversationContext context(List<HistoryItem> history) {
    return new ConversationContext(history, finalText != null ? finalText : userText);
  }

  Usage usage() {
    return new Usage(inputTokens, Math.min(cachedInputTokens, inputTokens), outputTokens);
  }

  /** Stops everything still running for this turn and returns its engine slot. */
  void release() {
    if (work != null) {
      work.dispose();
      work = null;
    }
    if (ackTimer != null) {
      ackTimer.dispose();
      ackTimer = null;
    }
    if (permit != null) {
      permit.release();
      permit = null;
    }
  }
}

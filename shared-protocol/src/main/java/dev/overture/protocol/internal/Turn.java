package dev.overture.protocol.internal;

import dev.overture.protocol.DoneStatus;
import java.util.ArrayList;
import java.util.List;

/** The facts both sides record about one turn; {@link Conversation} owns the rules. */
final class Turn {

  enum Verdict {
    NONE,
    ACCEPTED,
    REWIND_REQUESTED,
    REWOUND,
    REPAIRED
  }

  final String id;
  boolean historySent;
  int revision;
  boolean finalSent;
  int contextChars;
  final List<String> words = new ArrayList<>();
  int committedWords = -1;
  Verdict verdict = Verdict.NONE;
  int keepWords = -1;
  int keptWords = -1;
  final StringBuilder continuation = new StringBuilder();
  boolean cancelled;
  DoneStatus doneStatus;
  int wordsHeard;
  int truncateWords = -1;
  boolean truncatedSent;

  Turn(String id) {
    this.id = id;
  }

  boolean committed() {
    return committedWords >= 0;
  }

  boolean done() {
    return doneStatus != null;
  }

  /** Whether the opener's final length is settled, so continuation text may follow it. */
  boolean anchored() {
    return verdict == Verdict.ACCEPTED
        || verdict == Verdict.REPAIRED
        || (verdict == Verdict.REWOUND && keptWords == keepWords);
  }

  /** Opener words that stay in the reply: those the rewind ack kept, else all committed. */
  int openerWords() {
    return keptWords >= 0 ? keptWords : committedWords;
  }

  /** The first {@code count} streamed opener words, concatenated. */
  String openerText(int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(words.get(i));
    }
    return text.toString();
  }

  /** The reply so far: kept opener words, then the continuation. */
  String reply() {
    return openerText(openerWords()) + continuation;
  }

  /** Whether the server still has to send something for this turn. */
  boolean owesServerEvents() {
    return !done() || (truncateWords >= 0 && !truncatedSent);
  }
}

package dev.overture.protocol;

/** An event about one turn (one user utterance and the reply to it). */
public sealed interface TurnEvent extends Event
    permits TurnStart, ContextHistory, InputPartial, InputFinal, OpenerWord, OpenerCommit,
        OpenerRewindAck, PlaybackProgress, TurnCancel, TurnTruncate, OpenerAccept, OpenerRewind,
        OpenerRepair, ContinuationDelta, ContinuationDone, TurnTruncated {

  /** Client-chosen turn id, 1 to 64 characters from {@code [A-Za-z0-9._:-]}, unique per session. */
  String turnId();
}

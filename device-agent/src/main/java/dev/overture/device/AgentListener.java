package dev.overture.device;

/**
 * Receives what the agent decides, in order, on the agent's callback executor (a thread of its
 * own unless the builder set one). Never on a network or model thread, so a slow callback delays
 * only later callbacks. Every method has an empty default.
 */
public interface AgentListener {

  /** A piece of the reply to speak now (opener, cloud continuation, or a local completion). */
  default void onWord(ReplyWord word) {}

  /** Drop the words from {@code keptWords} on that have not been spoken yet. */
  default void onRewind(Rewind rewind) {}

  /** The next cloud words repair opener words the user already heard. */
  default void onRepairStart(RepairStart repair) {}

  /**
   * The turn is over: no more words of it will come, but those a {@link Conversation#resume}
   * delivers after a pause (again, or held back by the pause). Exactly once per turn.
   */
  default void onTurnDone(TurnResult result) {}

  /** Something failed; see {@link AgentException#kind()}. The turn, if any, still ends normally. */
  default void onError(AgentException error) {}
}

package dev.overture.device;

/** How a turn ended. */
public enum TurnStatus {
  /** The reply is complete: opener and cloud continuation, or (device-only) the micro's sentence. */
  COMPLETED,
  /** The cloud stopped at its output length limit; the reply is cut short. */
  TRUNCATED,
  /** The cloud missed the deadline (or could not be reached); the micro completed the sentence. */
  LOCAL,
  /** The app cancelled the turn ({@link Conversation#cancel}): the reply is what was heard. */
  CANCELLED,
  /** Neither the cloud nor the device could answer; {@link TurnResult#error()} says why. */
  FAILED
}

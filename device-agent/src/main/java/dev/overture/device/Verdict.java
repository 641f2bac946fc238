package dev.overture.device;

/** What the cloud made of the opener. */
public enum Verdict {
  /** Kept whole. */
  ACCEPT,
  /** Cut back before any wrong word was heard. */
  REWIND,
  /** A wrong word was heard; the cloud repaired it aloud. */
  REPAIR,
  /** No verdict arrived: no opener, device-only, or a local fallback came first. */
  NONE
}

package dev.overture.protocol.conformance;

import dev.overture.protocol.ProtocolException;
import java.util.Objects;

/** Outcomes of protocol calls as short strings, so a mismatch reads well in a failure. */
final class Expectations {

  static final String ACCEPTED = "accepted";

  interface Attempt {
    void run() throws ProtocolException;
  }

  private Expectations() {}

  /** {@code "accepted"}, or the error code with {@code " (fatal)"} when fatal. */
  static String expected(String error, Boolean fatal) {
    if (error == null) {
      return ACCEPTED;
    }
    return Boolean.TRUE.equals(fatal) ? error + " (fatal)" : error;
  }

  static String outcome(Attempt attempt) {
    try {
      attempt.run();
      return ACCEPTED;
    } catch (ProtocolException e) {
      return outcome(e);
    }
  }

  static String outcome(ProtocolException e) {
    return expected(e.code().wireName(), e.fatal());
  }

  static void check(String where, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionError(where + ": expected <" + expected + "> but was <" + actual + ">");
    }
  }
}

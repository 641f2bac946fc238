package dev.overture.protocol.conformance;

/** One named conformance check: a frame vector or a transcript, run through one JSON binding. */
public final class ConformanceCase {

  interface Check {
    void run() throws Exception;
  }

  private final String name;
  private final Check check;

  ConformanceCase(String name, Check check) {
    this.name = name;
    this.check = check;
  }

  /** For example {@code "invalid-frames.json: oversized frame"} or {@code "transcript: resume"}. */
  public String name() {
    return name;
  }

  /**
   * Runs the check.
   *
   * @throws AssertionError when the binding, codec or state machines do not behave as the vector
   *     says
   */
  public void run() {
    try {
      check.run();
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(name + ": unexpected " + e, e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

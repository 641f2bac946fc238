package dev.overture.cloud.verify;

/** What the cloud does with a committed opener. */
public sealed interface Verdict {

  /** The metric and log name: {@code accept}, {@code rewind} or {@code repair}. */
  String kind();

  /** Keep every committed word; the continuation follows the last one. */
  record Accept(int words) implements Verdict {
    @Override
    public String kind() {
      return "accept";
    }
  }

  /**
   * Ask the device to drop the words from {@code keepWords} on: it has not spoken them yet.
   *
   * @param keepWords the good words before the first bad one
   */
  record Rewind(int keepWords) implements Verdict {
    @Override
    public String kind() {
      return "rewind";
    }
  }

  /**
   * The bad words were (or will be) spoken: keep {@code afterWords} words, then bridge with a
   * short self-repair and give the right answer.
   */
  record Repair(int afterWords) implements Verdict {
    @Override
    public String kind() {
      return "repair";
    }
  }
}

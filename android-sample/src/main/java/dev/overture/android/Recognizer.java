package dev.overture.android;

/** A speech recognizer for one utterance at a time: Android's {@code SpeechRecognizer} ({@link AndroidRecognizer}), a fake in tests. */
interface Recognizer {

  /** Starts listening (push-to-talk pressed). */
  void start();

  /** The user let go: recognize what was said, then report a result or a failure. */
  void stop();

  /** Abandons the utterance; nothing more is reported for it. */
  void cancel();

  /** What the recognizer reports, on the main thread. */
  interface Events {

    /** The current hypothesis of the whole utterance. */
    void partial(String text);

    /** What was said; empty when nothing was recognized. */
    void result(String text);

    /** Recognition failed (no match, timeout, no service...): nothing was said, as far as the app knows. */
    void failed(String reason);
  }
}

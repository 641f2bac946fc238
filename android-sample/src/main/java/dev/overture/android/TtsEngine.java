package dev.overture.android;

/**
 * A text-to-speech engine as {@link SpeechQueue} uses it: Android's {@code TextToSpeech} in the app
 * ({@link AndroidTts}), a fake in tests.
 */
interface TtsEngine {

  /** Queues {@code text} after whatever the engine is saying. */
  void speak(String utteranceId, String text);

  /** Falls silent at once and forgets every queued utterance. */
  void stop();

  /** What the engine reports, delivered on the thread that owns the {@link SpeechQueue}. */
  interface Events {

    /** The utterance began playing. */
    void started(String utteranceId);

    /**
     * The engine is about to speak the characters from {@code start} of the utterance's text (Android's {@code
     * UtteranceProgressListener.onRangeStart}, API 26; not every engine reports ranges).
     */
    void rangeStarted(String utteranceId, int start);

    /** The utterance ended: played to the end, stopped, or failed. */
    void finished(String utteranceId);
  }
}

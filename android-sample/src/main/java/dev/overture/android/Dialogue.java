package dev.overture.android;

/**
 * The calls the app makes on the agent's {@link dev.overture.device.Conversation}; an interface so that tests can
 * record them ({@code Conversation} is final). {@link AgentDialogue} is the real one.
 */
interface Dialogue {

  void partialTranscript(String text);

  void finalTranscript(String text);

  /** The user has heard {@code wordsHeard} words of the current reply. */
  void playbackProgress(int wordsHeard);

  /** Barge-in: the reply stops where the user stopped hearing it. */
  void cancel();

  /** Hold the reply: maybe the user is starting to speak. */
  void pause();

  /** It was not speech: the reply goes on. */
  void resume();
}

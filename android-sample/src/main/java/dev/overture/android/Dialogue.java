package dev.overture.android;

import dev.overture.device.Conversation;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The calls the app makes on the agent's {@link Conversation}, as functions: {@code Conversation} is final, and
 * tests record these instead ({@link #of} binds them to a real conversation). Every call returns at once; the
 * agent works on its own thread.
 *
 * @param partialTranscript the recognizer's current hypothesis of the utterance
 * @param finalTranscript what the user said: the reply starts
 * @param playbackProgress the user has heard this many words of the current reply
 * @param cancel barge-in: the reply stops where the user stopped hearing it
 * @param pause hold the reply: maybe the user is starting to speak
 * @param resume it was not speech: the reply goes on
 */
record Dialogue(
    Consumer<String> partialTranscript,
    Consumer<String> finalTranscript,
    IntConsumer playbackProgress,
    Runnable cancel,
    Runnable pause,
    Runnable resume) {

  static Dialogue of(Conversation conversation) {
    return new Dialogue(conversation::partialTranscript, conversation::finalTranscript, conversation::playbackProgress,
        conversation::cancel, conversation::pause, conversation::resume);
  }
}

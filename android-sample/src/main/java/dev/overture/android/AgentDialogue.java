package dev.overture.android;

import dev.overture.device.Conversation;

/** {@link Dialogue} on a real conversation. Every call returns at once (the agent works on its own thread). */
final class AgentDialogue implements Dialogue {

  private final Conversation conversation;

  AgentDialogue(Conversation conversation) {
    this.conversation = conversation;
  }

  @Override
  public void partialTranscript(String text) {
    conversation.partialTranscript(text);
  }

  @Override
  public void finalTranscript(String text) {
    conversation.finalTranscript(text);
  }

  @Override
  public void playbackProgress(int wordsHeard) {
    conversation.playbackProgress(wordsHeard);
  }

  @Override
  public void cancel() {
    conversation.cancel();
  }

  @Override
  public void pause() {
    conversation.pause();
  }

  @Override
  public void resume() {
    conversation.resume();
  }
}

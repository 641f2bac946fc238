package dev.overture.android;

import java.util.ArrayList;
import java.util.List;

/** Records the app's calls on the conversation, as {@code name} or {@code name:argument}. */
final class FakeDialogue implements Dialogue {

  final List<String> calls = new ArrayList<>();

  @Override
  public void partialTranscript(String text) {
    calls.add("partial:" + text);
  }

  @Override
  public void finalTranscript(String text) {
    calls.add("final:" + text);
  }

  @Override
  public void playbackProgress(int wordsHeard) {
    calls.add("progress:" + wordsHeard);
  }

  @Override
  public void cancel() {
    calls.add("cancel");
  }

  @Override
  public void pause() {
    calls.add("pause");
  }

  @Override
  public void resume() {
    calls.add("resume");
  }
}

package dev.overture.android;

import java.util.ArrayList;
import java.util.List;

/** A TTS engine that records what it was asked to say; the test plays the engine's events itself. */
final class FakeTts implements TtsEngine {

  /** Utterances spoken, as {@code id=text}, in order. */
  final List<String> spoken = new ArrayList<>();
  int stops;

  @Override
  public void speak(String utteranceId, String text) {
    spoken.add(utteranceId + "=" + text);
  }

  @Override
  public void stop() {
    stops++;
  }

  /** The id of the last utterance asked for. */
  String lastId() {
    String last = spoken.get(spoken.size() - 1);
    return last.substring(0, last.indexOf('='));
  }

  /** The text of the last utterance asked for. */
  String lastText() {
    String last = spoken.get(spoken.size() - 1);
    return last.substring(last.indexOf('=') + 1);
  }
}

package dev.overture.android;

import java.util.ArrayList;
import java.util.List;

/** Records the app's calls on the conversation, as {@code name} or {@code name:argument}. */
final class FakeDialogue {

  final List<String> calls = new ArrayList<>();

  Dialogue dialogue() {
    return new Dialogue(
        text -> calls.add("partial:" + text),
        text -> calls.add("final:" + text),
        words -> calls.add("progress:" + words),
        () -> calls.add("cancel"),
        () -> calls.add("pause"),
        () -> calls.add("resume"));
  }
}

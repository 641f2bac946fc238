package dev.overture.android;

import java.util.ArrayList;
import java.util.List;

/** Records the session's calls on the recognizer; the test reports results to the session itself. */
final class FakeRecognizer implements Recognizer {

  final List<String> calls = new ArrayList<>();

  @Override
  public void start() {
    calls.add("start");
  }

  @Override
  public void stop() {
    calls.add("stop");
  }

  @Override
  public void cancel() {
    calls.add("cancel");
  }
}

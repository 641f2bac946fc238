package dev.overture.android;

import android.content.Context;
import android.content.Intent;
import android.os.Bundle;
import android.speech.RecognitionListener;
import android.speech.RecognizerIntent;
import android.speech.SpeechRecognizer;
import java.util.List;

/**
 * {@link Recognizer} on Android's {@link SpeechRecognizer}, with partial results and a preference for on-device
 * recognition (so that push-to-talk keeps working offline where the device has an offline model). It must be
 * created and used on the main thread, where it also reports.
 */
final class AndroidRecognizer implements Recognizer, RecognitionListener, AutoCloseable {

  private final Context context;
  private SpeechRecognizer recognizer;
  private Recognizer.Events events;

  AndroidRecognizer(Context context) {
    this.context = context;
  }

  void setEvents(Recognizer.Events events) {
    this.events = events;
  }

  @Override
  public void start() {
    if (!SpeechRecognizer.isRecognitionAvailable(context)) {
      events.failed("no speech recognition service on this device");
      return;
    }
    if (recognizer == null) {
      recognizer = SpeechRecognizer.createSpeechRecognizer(context);
      recognizer.setRecognitionListener(this);
    }
    Intent intent = new Intent(RecognizerIntent.ACTION_RECOGNIZE_SPEECH)
        .putExtra(RecognizerIntent.EXTRA_LANGUAGE_MODEL, RecognizerIntent.LANGUAGE_MODEL_FREE_FORM)
        .putExtra(RecognizerIntent.EXTRA_PARTIAL_RESULTS, true)
        .putExtra(RecognizerIntent.EXTRA_PREFER_OFFLINE, true)
        .putExtra(RecognizerIntent.EXTRA_CALLING_PACKAGE, context.getPackageName());
    recognizer.startListening(intent);
  }

  @Override
  public void stop() {
    if (recognizer != null) {
      recognizer.stopListening();
    }
  }

  @Override
  public void cancel() {
    if (recognizer != null) {
      recognizer.cancel();
    }
  }

  @Override
  public void onPartialResults(Bundle partialResults) {
    events.partial(best(partialResults));
  }

  @Override
  public void onResults(Bundle results) {
    events.result(best(results));
  }

  @Override
  public void onError(int error) {
    if (error == SpeechRecognizer.ERROR_NO_MATCH || error == SpeechRecognizer.ERROR_SPEECH_TIMEOUT) {
      events.result(""); // nothing was said: not a failure worth showing
    } else {
      events.failed("speech recognition failed (SpeechRecognizer error " + error + ")");
    }
  }

  private static String best(Bundle results) {
    List<String> texts = results == null ? null : results.getStringArrayList(SpeechRecognizer.RESULTS_RECOGNITION);
    return texts == null || texts.isEmpty() || texts.get(0) == null ? "" : texts.get(0);
  }

  @Override
  public void onReadyForSpeech(Bundle params) {}

  @Override
  public void onBeginningOfSpeech() {}

  @Override
  public void onRmsChanged(float rmsdB) {}

  @Override
  public void onBufferReceived(byte[] buffer) {}

  @Override
  public void onEndOfSpeech() {}

  @Override
  public void onEvent(int eventType, Bundle params) {}

  @Override
  public void close() {
    if (recognizer != null) {
      recognizer.destroy();
      recognizer = null;
    }
  }
}

package dev.overture.android;

import android.content.Context;
import android.os.Handler;
import android.speech.tts.TextToSpeech;
import android.speech.tts.UtteranceProgressListener;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link TtsEngine} on Android's {@link TextToSpeech}. The engine reports on its own binder threads; every event
 * is posted to the main thread, where {@link SpeechQueue} lives. Utterances asked for before the engine finished
 * binding wait here, so that the first reply of a cold start is not lost.
 */
final class AndroidTts extends UtteranceProgressListener implements TtsEngine, TextToSpeech.OnInitListener, AutoCloseable {

  private final Handler main;
  private final TextToSpeech tts;
  private final List<String[]> waiting = new ArrayList<>();
  private TtsEngine.Events events;
  private boolean ready;
  private boolean broken;

  AndroidTts(Context context, Handler main) {
    this.main = main;
    this.tts = new TextToSpeech(context, this);
    tts.setOnUtteranceProgressListener(this);
    tts.setAudioAttributes(AndroidAudioFocus.assistantSpeech());
  }

  void setEvents(TtsEngine.Events events) {
    this.events = events;
  }

  /** Whether the engine failed to start; the reply then shows in the transcript only. */
  boolean broken() {
    return broken;
  }

  @Override
  public void onInit(int status) {
    // Called on the main thread.
    ready = status == TextToSpeech.SUCCESS;
    broken = !ready;
    List<String[]> queued = new ArrayList<>(waiting);
    waiting.clear();
    for (String[] utterance : queued) {
      speak(utterance[0], utterance[1]);
    }
  }

  @Override
  public void speak(String utteranceId, String text) {
    if (!ready && !broken) {
      waiting.add(new String[] {utteranceId, text});
      return;
    }
    if (broken || tts.speak(text, TextToSpeech.QUEUE_ADD, null, utteranceId) != TextToSpeech.SUCCESS) {
      post(() -> events.finished(utteranceId)); // never stall the queue on an engine that cannot speak
    }
  }

  @Override
  public void stop() {
    waiting.clear();
    if (ready) {
      tts.stop();
    }
  }

  @Override
  public void onStart(String utteranceId) {
    post(() -> events.started(utteranceId));
  }

  @Override
  public void onRangeStart(String utteranceId, int start, int end, int frame) {
    post(() -> events.rangeStarted(utteranceId, start));
  }

  @Override
  public void onDone(String utteranceId) {
    post(() -> events.finished(utteranceId));
  }

  @Override
  public void onStop(String utteranceId, boolean interrupted) {
    post(() -> events.finished(utteranceId));
  }

  @Override
  public void onError(String utteranceId, int errorCode) {
    post(() -> events.finished(utteranceId));
  }

  /** Required by the abstract class; engines call {@link #onError(String, int)} since API 21. */
  @Override
  @Deprecated
  public void onError(String utteranceId) {
    post(() -> events.finished(utteranceId));
  }

  private void post(Runnable event) {
    main.post(() -> {
      if (events != null) {
        event.run();
      }
    });
  }

  @Override
  public void close() {
    tts.stop();
    tts.shutdown();
  }
}

package dev.overture.android;

import android.content.Context;
import android.media.AudioAttributes;
import android.media.AudioFocusRequest;
import android.media.AudioManager;
import android.os.Handler;

/**
 * {@link AudioFocus} on {@link AudioManager} (API 26 focus requests). The assistant asks for transient focus: other
 * audio pauses while it listens or speaks and resumes afterwards. It pauses rather than ducks ({@code
 * setWillPauseWhenDucked}): speech under another app's audio is hard to follow, and a held reply loses nothing.
 */
final class AndroidAudioFocus implements AudioFocus, AudioManager.OnAudioFocusChangeListener {

  private final AudioManager audio;
  private final AudioFocusRequest request;
  private VoiceSession session;
  private boolean held;

  AndroidAudioFocus(Context context, Handler main) {
    this.audio = context.getSystemService(AudioManager.class);
    this.request = new AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN_TRANSIENT)
        .setAudioAttributes(assistantSpeech())
        .setWillPauseWhenDucked(true)
        .setOnAudioFocusChangeListener(this, main)
        .build();
  }

  /** The attributes of the assistant's voice, for focus and for the TTS stream alike. */
  static AudioAttributes assistantSpeech() {
    return new AudioAttributes.Builder()
        .setUsage(AudioAttributes.USAGE_ASSISTANT)
        .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH)
        .build();
  }

  void setSession(VoiceSession session) {
    this.session = session;
  }

  @Override
  public void request() {
    if (!held) {
      held = audio.requestAudioFocus(request) == AudioManager.AUDIOFOCUS_REQUEST_GRANTED;
    }
  }

  @Override
  public void abandon() {
    if (held) {
      audio.abandonAudioFocusRequest(request);
      held = false;
    }
  }

  @Override
  public void onAudioFocusChange(int change) {
    if (session == null) {
      return;
    }
    switch (change) {
      case AudioManager.AUDIOFOCUS_GAIN:
        session.focusGained();
        break;
      case AudioManager.AUDIOFOCUS_LOSS:
        held = false;
        session.focusLost(false);
        break;
      case AudioManager.AUDIOFOCUS_LOSS_TRANSIENT:
      case AudioManager.AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK:
        session.focusLost(true);
        break;
      default:
        break;
    }
  }
}

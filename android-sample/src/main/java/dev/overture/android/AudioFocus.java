package dev.overture.android;

/**
 * Audio focus as {@link VoiceSession} needs it: held while the assistant listens or speaks. Android's {@code
 * AudioManager} in the app ({@link AndroidAudioFocus}), a fake in tests. Losses come back through {@link
 * VoiceSession#focusLost} and {@link VoiceSession#focusGained}.
 */
interface AudioFocus {

  /** Asks for focus; a no-op while it is held. */
  void request();

  /** Gives focus back; a no-op while it is not held. */
  void abandon();
}

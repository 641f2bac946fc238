/**
 * A push-to-talk voice assistant for Android built on the device agent: the app developers' reference for
 * integrating {@code dev.overture.device} (docs/android.md).
 *
 * <p>Two layers. The glue is plain Java with no {@code android.*} import, driven through small seams
 * ({@link dev.overture.android.Recognizer}, {@link dev.overture.android.TtsEngine}, {@link
 * dev.overture.android.AudioFocus}, {@link dev.overture.android.Dialogue}) so that JVM tests drive it with fakes:
 * {@link dev.overture.android.VoiceSession} (push-to-talk, barge-in, false interruptions, audio focus), {@link
 * dev.overture.android.SpeechQueue} (words to utterances, playback progress, rewinds), {@link
 * dev.overture.android.Transcript}, {@link dev.overture.android.AgentHolder} (device-only when offline). The
 * Android classes ({@code Android*}, {@link dev.overture.android.MainActivity}) only translate framework
 * callbacks into those calls, on the main thread.
 */
package dev.overture.android;

package dev.overture.android;

import dev.overture.device.AgentException;
import dev.overture.device.AgentListener;
import dev.overture.device.ReplyWord;
import dev.overture.device.Rewind;
import dev.overture.device.TurnResult;

/**
 * The app's glue between push-to-talk, the speech recognizer, the agent and the speech queue.
 *
 * <ul>
 *   <li>Push-to-talk while the assistant is silent starts listening; partial results go to the agent as they come
 *       (so that it prefills and drafts the opener while the user speaks), the final result ends the user's turn.
 *   <li>Push-to-talk while a reply is playing or coming holds it at once ({@link Dialogue#pause()}): the user may be
 *       about to speak, or may have touched the button by mistake. Recognized speech confirms a barge-in (speech
 *       stops, {@link Dialogue#cancel()}: the history keeps only the words heard); no speech was a false
 *       interruption and the reply goes on ({@link Dialogue#resume()}).
 *   <li>Audio focus is requested while listening or speaking and given back when idle; a transient loss (a call, a
 *       navigation prompt) holds the reply until focus returns, a permanent loss ends it as a barge-in does.
 * </ul>
 *
 * <p>The speech queue keeps the words not heard across a hold, so the copies the agent delivers again on resume
 * ({@link ReplyWord#redelivered()}) are skipped: an app whose TTS forgets its queue on a pause would speak those
 * instead.
 *
 * <p>Turns are counted here to tell the words of a turn the user barged in on (already in the callback queue when
 * the cancel was sent) from those of the next one: the agent ends every turn it opens with exactly one {@link
 * #onTurnDone}, and every utterance that reaches it opens exactly one turn. Words normally come before their turn's
 * {@code onTurnDone}; the words a pause held come after it, on resume, when the reply finished during the pause.
 *
 * <p>Not thread-safe: every call (recognizer, engine and agent callbacks included) comes on one thread, the app's
 * main thread.
 */
final class VoiceSession implements AgentListener, Recognizer.Events {

  /** Told whenever what the screen shows may have changed. */
  interface Listener {
    void changed();
  }

  private final Recognizer recognizer;
  private final AudioFocus focus;
  private final Transcript transcript;
  private final Listener listener;
  private final SpeechQueue speech;
  private Dialogue dialogue;
  private Runnable whenIdle;
  private String notice = "";

  private boolean listening;
  /** The current utterance already sent text to the agent, which opened a turn for it. */
  private boolean utteranceOpenedTurn;
  private boolean heldByUser;
  private boolean heldByFocus;
  private int turnsOpened;
  private int turnsDone;
  /** Words of turns up to this one are dropped: the user barged in on them. */
  private int discardThrough;
  /** The turn whose words the speech queue holds. */
  private int speechTurn;

  VoiceSession(TtsEngine tts, Recognizer recognizer, AudioFocus focus, Transcript transcript, Listener listener) {
    this.recognizer = recognizer;
    this.focus = focus;
    this.transcript = transcript;
    this.listener = listener;
    this.speech = new SpeechQueue(tts, new SpeechQueue.Listener() {
      @Override
      public void wordsHeard(int words) {
        if (dialogue != null) {
          dialogue.playbackProgress().accept(words);
        }
      }

      @Override
      public void silent() {
        settle();
      }
    });
  }

  /** Where the TTS engine's events go. */
  TtsEngine.Events speechEvents() {
    return speech;
  }

  /** The agent's conversation to talk to; push-to-talk does nothing without one. Attach only while {@link #idle}. */
  void attach(Dialogue dialogue) {
    this.dialogue = dialogue;
    listener.changed();
  }

  /** The agent is being rebuilt. */
  void detach() {
    this.dialogue = null;
    listener.changed();
  }

  /** Runs {@code task} now if idle, else when the session next becomes idle (the last task asked wins). */
  void whenIdle(Runnable task) {
    whenIdle = task;
    settle();
  }

  boolean ready() {
    return dialogue != null;
  }

  boolean listening() {
    return listening;
  }

  boolean speaking() {
    return speech.speaking();
  }

  /** Not listening, nothing playing, no turn running. */
  boolean idle() {
    return !listening && !speech.speaking() && turnsDone == turnsOpened;
  }

  /** The last problem worth showing since push-to-talk was last pressed (agent notices, recognizer failures). */
  String notice() {
    return notice;
  }

  // ---- Push-to-talk. ----

  void pressed() {
    if (dialogue == null) {
      return;
    }
    if (listening) {
      // The recognizer never answered the last utterance: drop it rather than leave the button stuck.
      listening = false;
      recognizer.cancel();
      nothingSaid();
    }
    listening = true;
    utteranceOpenedTurn = false;
    notice = ""; // a new utterance: older problems are no longer news
    focus.request();
    if (replyActive()) {
      setHeld(true, heldByFocus);
    }
    recognizer.start();
    listener.changed();
  }

  void released() {
    if (listening) {
      recognizer.stop();
    }
  }

  // ---- The recognizer. ----

  @Override
  public void partial(String text) {
    if (!listening || text.trim().isEmpty()) {
      return;
    }
    userSpeaks();
    dialogue.partialTranscript().accept(text);
  }

  @Override
  public void result(String text) {
    if (!listening) {
      return;
    }
    listening = false;
    if (text.trim().isEmpty()) {
      nothingSaid();
      return;
    }
    userSpeaks();
    utteranceOpenedTurn = false;
    transcript.userSaid(turnsOpened, text);
    dialogue.finalTranscript().accept(text);
    listener.changed();
  }

  @Override
  public void failed(String reason) {
    if (!listening) {
      return;
    }
    listening = false;
    notice = reason;
    nothingSaid();
  }

  /** Speech confirmed: a held reply is a barge-in now, and the utterance has a turn of its own. */
  private void userSpeaks() {
    if (heldByUser || heldByFocus) {
      bargeIn();
    }
    if (!utteranceOpenedTurn) {
      utteranceOpenedTurn = true;
      turnsOpened++;
    }
  }

  private void nothingSaid() {
    if (utteranceOpenedTurn) {
      utteranceOpenedTurn = false;
      bargeIn(); // partials opened a turn that has no question: close it
    } else if (heldByUser) {
      setHeld(false, heldByFocus); // a false interruption: the reply goes on
    }
    settle();
  }

  // ---- Audio focus. ----

  /** Another app took the audio: for a while ({@code transient}: hold the reply) or for good (stop). */
  void focusLost(boolean transientLoss) {
    if (dialogue == null) {
      return;
    }
    if (transientLoss) {
      if (replyActive()) {
        setHeld(heldByUser, true);
      }
      return;
    }
    if (listening) {
      listening = false;
      recognizer.cancel();
    }
    if (replyActive() || utteranceOpenedTurn) {
      utteranceOpenedTurn = false;
      bargeIn();
    }
    settle();
  }

  void focusGained() {
    if (heldByFocus) {
      setHeld(heldByUser, false);
    }
  }

  // ---- The agent (callbacks on the main thread, in order). ----

  @Override
  public void onWord(ReplyWord word) {
    // With no newer turn open, a word is one a pause held past its finished turn's onTurnDone.
    int turn = turnsOpened == turnsDone ? turnsDone : turnsDone + 1;
    if (turn <= discardThrough || word.redelivered()) {
      return; // a reply the user talked over, or a copy of a word the queue kept across a hold
    }
    if (turn != speechTurn) {
      speech.newTurn();
      speechTurn = turn;
    }
    focus.request();
    speech.add(word);
    transcript.word(turn, word);
    listener.changed();
  }

  @Override
  public void onRewind(Rewind rewind) {
    int turn = turnsDone + 1;
    if (turn <= discardThrough) {
      return;
    }
    if (turn == speechTurn) {
      speech.dropFrom(rewind.keptWords());
    }
    transcript.dropFrom(turn, rewind.keptWords());
    listener.changed();
  }

  @Override
  public void onTurnDone(TurnResult result) {
    turnsDone++;
    transcript.turnDone(turnsDone, result);
    settle();
  }

  @Override
  public void onError(AgentException error) {
    notice = error.kind() + ": " + error.getMessage();
    listener.changed();
  }

  // ---- Internals. ----

  private boolean replyActive() {
    return speech.speaking() || turnsDone < turnsOpened;
  }

  private void bargeIn() {
    heldByUser = false;
    heldByFocus = false;
    speech.clear();
    dialogue.cancel().run();
    discardThrough = turnsOpened;
  }

  /** Holds or releases the reply; the speaker and the agent change together, once per transition. */
  private void setHeld(boolean byUser, boolean byFocus) {
    boolean before = heldByUser || heldByFocus;
    heldByUser = byUser;
    heldByFocus = byFocus;
    boolean after = heldByUser || heldByFocus;
    if (!before && after) {
      speech.hold();
      dialogue.pause().run();
    } else if (before && !after) {
      speech.release();
      dialogue.resume().run();
    }
  }

  /** Gives audio focus back and runs the idle task once nothing is going on. */
  private void settle() {
    if (idle()) {
      focus.abandon();
      Runnable task = whenIdle;
      whenIdle = null;
      if (task != null) {
        task.run();
      }
    }
    listener.changed();
  }
}

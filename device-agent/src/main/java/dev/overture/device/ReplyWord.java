package dev.overture.device;

import java.util.Objects;

/**
 * A piece of the reply to speak now.
 *
 * <p>Concatenating the {@code text} of every word delivered in a turn, minus those a {@link
 * Rewind} dropped, gives the reply exactly: each piece carries its own leading separator, and a
 * piece without one (the {@code ","} of a continuation that starts with punctuation) belongs to
 * the word before it and has that word's {@code index}.
 *
 * @param text what to speak and show, with its leading separator (none for the reply's first word)
 * @param source the model that produced it
 * @param index the number of the reply word it belongs to, from 0, as the protocol counts words
 *     ({@code dev.overture.protocol.Words})
 * @param sinceEndOfSpeechNanos time from the final transcript ({@link Conversation#finalTranscript})
 *     to this word's release
 * @param redelivered true when {@link Conversation#resume} delivers a word again that was released
 *     before a {@link Conversation#pause} but not heard
 */
public record ReplyWord(String text, WordSource source, int index, long sinceEndOfSpeechNanos, boolean redelivered) {
  public ReplyWord {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
  }
}

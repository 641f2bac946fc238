package dev.overture.cloud.engine;

/**
 * The conversation does not fit the model's context window, even without its history: the user's
 * text and the assistant text to continue need more tokens than the window leaves beside the room
 * kept for the reply. The client's input is too large; the engine did not fail (protocol error
 * {@code context_too_large}, HTTP 400).
 */
public class ContextTooLargeException extends RuntimeException {
  public ContextTooLargeException(String message) {
    super(message);
  }
}

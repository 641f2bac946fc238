package dev.overture.protocol.codec;

/** A {@link JsonBinding}'s JSON library could not read or write a value. */
public final class JsonBindingException extends Exception {

  private static final long serialVersionUID = 1L;

  public JsonBindingException(String message, Throwable cause) {
    super(message, cause);
  }
}

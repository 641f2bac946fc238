package dev.overture.replay.trace;

import java.io.IOException;

/** A trace file (or a file to import) that is not what it should be; the message names the line. */
public final class TraceFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public TraceFormatException(String message) {
    super(message);
  }

  public TraceFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}

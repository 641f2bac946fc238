package dev.overture.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the typed errors a person can act on (a missing or corrupt file, an invalid argument, a
 * full context) into one line on standard error and exit code 1. Anything else is a bug: its
 * stack trace is printed and the exit code is 70 (EX_SOFTWARE).
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
  static final int USER_ERROR = 1;
  static final int INTERNAL_ERROR = 70;

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parseResult) {
    String command = cl.getCommandSpec().qualifiedName(); // "overture replay run", not "overture run"
    Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
    if (cause instanceof IOException || cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
      cl.getErr().println(command + ": " + describe(cause));
      cl.getErr().flush();
      return USER_ERROR;
    }
    cl.getErr().println(command + ": internal error (please report it):");
    e.printStackTrace(cl.getErr());
    cl.getErr().flush();
    return INTERNAL_ERROR;
  }

  static String describe(Throwable t) {
    if (t instanceof NoSuchFileException) {
      return "no such file: " + t.getMessage();
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + t.getMessage();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}

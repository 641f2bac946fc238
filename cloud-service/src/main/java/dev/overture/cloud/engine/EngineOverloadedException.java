package dev.overture.cloud.engine;

/** No engine capacity is free right now; the device should complete the reply locally. */
public final class EngineOverloadedException extends RuntimeException {
  public EngineOverloadedException(String message) {
    super(message);
  }
}

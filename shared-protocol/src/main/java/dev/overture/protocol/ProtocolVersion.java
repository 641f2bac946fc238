package dev.overture.protocol;

import java.util.List;

/** Protocol version numbers and their negotiation. */
public final class ProtocolVersion {

  /** The version this library implements. */
  public static final int CURRENT = 1;

  private ProtocolVersion() {}

  /**
   * The version the server accepts from the client's offer: {@link #CURRENT} when offered, else -1
   * (the server then fails the session with {@code unsupported_version}).
   */
  public static int negotiate(List<Integer> offered) {
    return offered != null && offered.contains(CURRENT) ? CURRENT : -1;
  }
}

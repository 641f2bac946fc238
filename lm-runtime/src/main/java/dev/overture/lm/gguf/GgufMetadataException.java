package dev.overture.lm.gguf;

/**
 * A metadata key that is missing or holds a value of another type than the caller asked for. The
 * message names the file, the key, the expected type and the type found.
 *
 * <p>Unchecked so that typed getters read like field accesses; code that loads a model usually
 * converts it into a {@link GgufFormatException} at its boundary.
 */
public final class GgufMetadataException extends IllegalArgumentException {
  private final String key;

  GgufMetadataException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The metadata key concerned. */
  public String key() {
    return key;
  }
}

package dev.overture.lm.gguf;

/** A tensor type id that ggml does not define, or whose support ggml removed. */
public final class UnknownGgmlTypeException extends IllegalArgumentException {
  private final int id;

  UnknownGgmlTypeException(int id) {
    super("unknown ggml tensor type id " + id);
    this.id = id;
  }

  /** The offending id. */
  public int id() {
    return id;
  }
}

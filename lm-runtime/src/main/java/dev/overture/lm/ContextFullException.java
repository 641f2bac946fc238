package dev.overture.lm;

/** Thrown when tokens would not fit in a session's KV cache; the session is left unchanged. */
public final class ContextFullException extends IllegalStateException {
  private final int position;
  private final int requested;
  private final int capacity;

  public ContextFullException(int position, int requested, int capacity) {
    super("context full: " + position + " tokens cached + " + requested + " new > capacity " + capacity);
    this.position = position;
    this.requested = requested;
    this.capacity = capacity;
  }

  public int position() {
    return position;
  }

  public int requested() {
    return requested;
  }

  public int capacity() {
    return capacity;
  }
}

package dev.overture.android;

/** Audio focus that is always granted. */
final class FakeFocus implements AudioFocus {

  boolean held;

  @Override
  public void request() {
    held = true;
  }

  @Override
  public void abandon() {
    held = false;
  }
}

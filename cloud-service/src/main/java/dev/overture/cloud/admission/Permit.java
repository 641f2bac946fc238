package dev.overture.cloud.admission;

import java.util.concurrent.atomic.AtomicBoolean;

/** One engine slot held by one turn; {@link #release} hands it on exactly once. */
public final class Permit {

  private final AdmissionControl owner;
  private final AtomicBoolean released = new AtomicBoolean();

  Permit(AdmissionControl owner) {
    this.owner = owner;
  }

  /** Returns the slot; later calls do nothing. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      owner.release();
    }
  }
}

package dev.overture.lm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that splits index ranges for one owner thread, without allocating per
 * call: the owner runs the first slice itself and waits for the rest. Workers spin briefly and
 * then park, so an idle session costs no CPU.
 *
 * <p>Thread ownership: one thread at a time may call {@link #forRange} (the session's owner).
 */
final class WorkerPool implements AutoCloseable {
  /** Work over {@code [start, end)} as slice {@code slice} (0 = the caller); called concurrently on disjoint ranges. */
  interface RangeTask {
    void run(int start, int end, int slice);
  }

  private static final int SPINS = 20_000;

  private final int threads;
  private final Thread[] workers;
  private volatile Thread caller;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile int epoch;
  private volatile boolean closed;
  private volatile RangeTask task;
  private volatile int size;
  private volatile Throwable failure;

  WorkerPool(int threads, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      int slice = i + 1;
      Thread t = new Thread(() -> workLoop(slice), name + "-" + slice);
      t.setDaemon(true);
      workers[i] = t;
      t.start();
    }
  }

  int threads() {
    return threads;
  }

  /** Runs {@code task} over {@code [0, n)} split into contiguous slices, one per thread. */
  void forRange(int n, RangeTask task) {
    if (threads == 1 || n < threads * 2) {
      task.run(0, n, 0);
      return;
    }
    this.caller = Thread.currentThread();
    this.task = task;
    this.size = n;
    this.failure = null;
    pending.set(workers.length);
    epoch++;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    try {
      task.run(0, sliceEnd(0, n), 0);
    } finally {
      int spins = 0;
      while (pending.get() != 0) {
        if (++spins < SPINS) {
          spinHint();
        } else {
          LockSupport.parkNanos(this, 50_000);
        }
      }
    }
    Throwable f = failure;
    if (f != null) {
      if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      }
      if (f instanceof Error) {
        throw (Error) f;
      }
      throw new IllegalStateException(f);
    }
  }

  // Thread.onSpinWait() is missing on Android 26; a volatile re-read in the loop is the portable spin.
  private static void spinHint() {}

  private int sliceEnd(int slice, int n) {
    return (int) ((long) n * (slice + 1) / threads);
  }

  private void workLoop(int slice) {
    int seen = 0;
    while (true) {
      int spins = 0;
      while (epoch == seen && !closed) {
        if (++spins < SPINS) {
          spinHint();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = epoch;
      int n = size;
      try {
        task.run(sliceEnd(slice - 1, n), sliceEnd(slice, n), slice);
      } catch (Throwable t) {
        failure = t;
      } finally {
        if (pending.decrementAndGet() == 0) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
  }
}

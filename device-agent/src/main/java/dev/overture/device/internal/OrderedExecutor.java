package dev.overture.device.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks on a delegate executor one at a time, in submission order, even when the delegate
 * is a pool: the app's listener sees events in the order the agent decided them.
 */
public final class OrderedExecutor implements Executor {

  private final Executor delegate;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  public OrderedExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (queue) {
      queue.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RuntimeException e) { // rejected: the next call tries again with what is queued
      synchronized (queue) {
        running = false;
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (Throwable e) {
        // An app's listener threw (an AssertionError in a test as much as a RuntimeException): the
        // thread's handler hears of it, and the agent's later events must still arrive.
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }
}

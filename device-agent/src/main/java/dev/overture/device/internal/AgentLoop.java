package dev.overture.device.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one thread that owns every conversation's state and runs the micro model. Network threads
 * and the app only post tasks to it, so no state of the agent is ever touched by two threads, and
 * model work never runs on OkHttp's threads.
 */
public final class AgentLoop implements Executor, AutoCloseable {

  private static final AtomicInteger LOOPS = new AtomicInteger();

  private final ScheduledThreadPoolExecutor executor;
  private final Consumer<Throwable> onFailure;
  private volatile Thread thread;

  /** @param onFailure receives what a task threw (on the loop thread); the loop goes on */
  public AgentLoop(Consumer<Throwable> onFailure) {
    this.onFailure = onFailure;
    String name = "overture-agent-" + LOOPS.incrementAndGet();
    ThreadFactory factory = runnable -> {
      Thread t = new Thread(runnable, name);
      t.setDaemon(true);
      thread = t;
      return t;
    };
    this.executor = new ScheduledThreadPoolExecutor(1, factory);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable task) {
    if (!executor.isShutdown()) {
      executor.execute(guarded(task));
    }
  }

  /** Runs {@code task} after {@code delayNanos}; the returned handle cancels it. */
  public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return executor.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** Whether the caller runs on the loop's thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        onFailure.accept(e);
      }
    };
  }

  /** Stops the thread after the task running now; queued tasks are dropped. Waits up to 5 s. */
  @Override
  public void close() {
    executor.shutdownNow();
    if (!inLoop()) {
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package dev.overture.cloud.concurrent;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the tasks of one owner (a
 * handoff session, an engine conversation) never overlap, while different owners run in parallel
 * on the shared threads. Each task happens-before the next, so the owner's state needs no locks.
 *
 * <p>After {@code batch} tasks the drain hands its thread back to the shared executor and queues
 * itself again, so that one busy owner cannot starve the others (the engine uses a batch of one:
 * every generated token is one turn on the shared threads).
 *
 * <p>A task that throws is logged and does not stop the tasks after it.
 */
public final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor shared;
  private final int batch;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * @param shared the threads that run the tasks
   * @param batch how many tasks one drain runs before it yields its thread, at least 1
   */
  public SerialExecutor(Executor shared, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    this.shared = Objects.requireNonNull(shared, "shared");
    this.batch = batch;
  }

  /**
   * Queues {@code task} behind every task submitted before it.
   *
   * @throws RejectedExecutionException if the shared executor is shut down
   */
  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    if (pending.getAndIncrement() == 0) {
      schedule();
    }
  }

  private void schedule() {
    try {
      shared.execute(this::drain);
    } catch (RejectedExecutionException e) {
      tasks.clear();
      pending.set(0);
      throw e;
    }
  }

  private void drain() {
    for (int ran = 0; ran < batch; ran++) {
      Runnable task = tasks.poll();
      if (task == null) {
        return; // unreachable while pending > 0; kept for safety
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.error("a serialized task failed", e);
      }
      if (pending.decrementAndGet() == 0) {
        return;
      }
    }
    try {
      schedule();
    } catch (RejectedExecutionException e) {
      log.debug("shared executor shut down; {} queued tasks dropped", tasks.size());
    }
  }
}

package dev.overture.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class OrderedExecutorTest {

  @Test
  void aListenerThatThrowsAnErrorDoesNotStopTheEventsAfterIt() throws Exception {
    List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r);
      t.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
      return t;
    });
    try {
      OrderedExecutor ordered = new OrderedExecutor(pool);
      CountDownLatch after = new CountDownLatch(1);
      ordered.execute(() -> {
        throw new AssertionError("a listener's failed assertion");
      });
      ordered.execute(after::countDown);

      assertTrue(after.await(10, TimeUnit.SECONDS), "the event after the failing one never ran");
      assertEquals(1, reported.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRejectedDrainLeavesTheExecutorUsable() {
    List<Runnable> accepted = new ArrayList<>();
    boolean[] reject = {true};
    Executor flaky = task -> {
      if (reject[0]) {
        throw new RejectedExecutionException("shutting down");
      }
      accepted.add(task);
    };
    OrderedExecutor ordered = new OrderedExecutor(flaky);
    List<String> ran = new ArrayList<>();

    assertThrows(RejectedExecutionException.class, () -> ordered.execute(() -> ran.add("first")));
    reject[0] = false;
    ordered.execute(() -> ran.add("second"));
    accepted.forEach(Runnable::run);

    assertEquals(List.of("first", "second"), ran);
  }
}

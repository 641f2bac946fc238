package dev.overture.cloud.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  private final ExecutorService shared = Executors.newFixedThreadPool(4);

  @AfterEach
  void shutdown() {
    shared.shutdownNow();
  }

  @Test
  void tasksRunInSubmissionOrderAndNeverOverlap() throws InterruptedException {
    SerialExecutor serial = new SerialExecutor(shared, 8);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1000);
    for (int i = 0; i < 1000; i++) {
      int n = i;
      serial.execute(() -> {
        if (running.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        order.add(n);
        running.decrementAndGet();
        done.countDown();
      });
    }
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps.get()).isZero();
    for (int i = 0; i < 1000; i++) {
      assertThat(order.get(i)).isEqualTo(i);
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() throws InterruptedException {
    SerialExecutor serial = new SerialExecutor(shared, 8);
    CountDownLatch after = new CountDownLatch(1);
    serial.execute(() -> {
      throw new IllegalStateException("boom");
    });
    serial.execute(after::countDown);
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aBusyOwnerYieldsItsThreadAfterEachBatch() throws InterruptedException {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      // Hold the only thread until both owners have queued, so the order depends on yielding alone.
      CountDownLatch gate = new CountDownLatch(1);
      one.execute(() -> {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      SerialExecutor busy = new SerialExecutor(one, 1);
      SerialExecutor other = new SerialExecutor(one, 1);
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      // Both owners count down when their last task has run, so the order is read only once
      // nothing can add to it any more.
      CountDownLatch done = new CountDownLatch(2);
      Runnable[] step = new Runnable[1];
      AtomicInteger steps = new AtomicInteger();
      step[0] = () -> {
        order.add("busy");
        if (steps.incrementAndGet() < 5) {
          busy.execute(step[0]); // a generation queueing its next token
        } else {
          done.countDown();
        }
      };
      busy.execute(step[0]);
      other.execute(() -> order.add("other"));
      other.execute(done::countDown);
      gate.countDown();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      // busy ran one task, then yielded to the other owner that was already waiting; once that
      // owner had nothing left, busy ran alone.
      assertThat(List.copyOf(order)).containsExactly("busy", "other", "busy", "busy", "busy", "busy");
    } finally {
      one.shutdownNow();
    }
  }

}

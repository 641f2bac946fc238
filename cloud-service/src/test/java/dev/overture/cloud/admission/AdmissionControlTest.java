package dev.overture.cloud.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.engine.EngineOverloadedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class AdmissionControlTest {

  private final AdmissionControl admission = new AdmissionControl(new AdmissionProperties(2, 1));

  @Test
  void grantsUpToTheNumberOfSlotsAtOnce() {
    StepVerifier.create(admission.acquire()).expectNextCount(1).verifyComplete();
    StepVerifier.create(admission.acquire()).expectNextCount(1).verifyComplete();
    assertThat(admission.active()).isEqualTo(2);
  }

  @Test
  void aTurnBeyondTheSlotsWaitsInTheQueueUntilOneIsReleased() {
    Permit first = admission.acquire().block();
    admission.acquire().block();
    AtomicReference<Permit> third = new AtomicReference<>();
    admission.acquire().subscribe(third::set);
    assertThat(third.get()).isNull();
    assertThat(admission.queued()).isEqualTo(1);
    first.release();
    assertThat(third.get()).isNotNull();
    assertThat(admission.queued()).isZero();
    assertThat(admission.active()).isEqualTo(2);
  }

  @Test
  void aTurnFindingSlotsAndQueueFullIsRefusedAtOnce() {
    admission.acquire().block();
    admission.acquire().block();
    admission.acquire().subscribe();
    assertThat(admission.saturated()).isTrue();
    StepVerifier.create(admission.acquire())
        .expectError(EngineOverloadedException.class)
        .verify(Duration.ofSeconds(1));
  }

  @Test
  void whileDrainingNewTurnsAreRefusedAndAWaitingOneIsStillGranted() {
    Permit first = admission.acquire().block();
    admission.acquire().block();
    AtomicReference<Permit> waiter = new AtomicReference<>();
    admission.acquire().subscribe(waiter::set);

    admission.drain();

    StepVerifier.create(admission.acquire())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(EngineOverloadedException.class).hasMessageContaining("shutting down"))
        .verify(Duration.ofSeconds(1));
    first.release();
    assertThat(waiter.get()).isNotNull();
  }

  @Test
  void aCancelledWaiterLeavesTheQueue() {
    admission.acquire().block();
    admission.acquire().block();
    Disposable waiting = admission.acquire().subscribe();
    waiting.dispose();
    assertThat(admission.queued()).isZero();
    assertThat(admission.saturated()).isFalse();
  }

  @Test
  void releasingTwiceFreesOneSlot() {
    Permit permit = admission.acquire().block();
    admission.acquire().block();
    permit.release();
    permit.release();
    assertThat(admission.active()).isEqualTo(1);
  }
}

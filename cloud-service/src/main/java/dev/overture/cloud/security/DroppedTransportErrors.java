package dev.overture.cloud.security;

import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Hooks;

/**
 * Keeps a slow client out of the ERROR log. When a request times out while its body is read,
 * Reactor Netty delivers the {@link ReadTimeoutException} to the body reader (which answers 408),
 * then delivers it a second time when it disposes the connection, to a reader that has already
 * finished; Reactor logs such a dropped error at ERROR. That second delivery of a client's own
 * timeout is logged at DEBUG here; every other dropped error is logged at ERROR as before.
 *
 * <p>Reactor's hook is global and cumulative, so it is installed once per JVM.
 */
@Component
final class DroppedTransportErrors {

  private static final Logger log = LoggerFactory.getLogger(DroppedTransportErrors.class);
  private static final AtomicBoolean installed = new AtomicBoolean();

  DroppedTransportErrors() {
    if (installed.compareAndSet(false, true)) {
      Hooks.onErrorDropped(DroppedTransportErrors::dropped);
    }
  }

  private static void dropped(Throwable error) {
    if (error instanceof ReadTimeoutException) {
      log.debug("a client's read timeout, delivered again after it was answered");
    } else {
      log.error("Operator called default onErrorDropped", error);
    }
  }
}

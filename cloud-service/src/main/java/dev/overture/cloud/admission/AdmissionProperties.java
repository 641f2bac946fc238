package dev.overture.cloud.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many turns may use the engine at once ({@code overture.admission.*}).
 *
 * @param maxConcurrentTurns turns whose opener is being scored or whose continuation is being
 *     generated at the same time; further turns wait in the queue
 * @param queueLength turns that may wait for a slot; a turn that finds the queue full fails at
 *     once with {@code overloaded} (the device then completes the reply locally)
 */
@ConfigurationProperties("overture.admission")
public record AdmissionProperties(
    @DefaultValue("4") int maxConcurrentTurns, @DefaultValue("8") int queueLength) {

  public AdmissionProperties {
    if (maxConcurrentTurns < 1) {
      throw new IllegalArgumentException(
          "overture.admission.max-concurrent-turns must be at least 1, got " + maxConcurrentTurns);
    }
    if (queueLength < 0) {
      throw new IllegalArgumentException(
          "overture.admission.queue-length must not be negative, got " + queueLength);
    }
  }
}

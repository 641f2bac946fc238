package dev.overture.cloud.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Shutdown ({@code overture.lifecycle.*}).
 *
 * @param drainTimeout how long running turns may finish after {@code session.go_away} went out;
 *     keep it below {@code spring.lifecycle.timeout-per-shutdown-phase}
 */
@ConfigurationProperties("overture.lifecycle")
public record LifecycleProperties(@DefaultValue("20s") Duration drainTimeout) {}

package dev.overture.cloud.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;

/**
 * The service on a random port with the {@link PuppetEngine}, API keys {@value #KEY} (and {@value
 * #RATE_KEY}, reserved for rate-limit tests), two engine slots and one queue place, short timers
 * and one repair bridge. Every test class carrying it shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=puppet",
      "overture.security.api-keys=" + HandoffServiceTest.KEY + "," + HandoffServiceTest.RATE_KEY,
      "overture.admission.max-concurrent-turns=2",
      "overture.admission.queue-length=1",
      "overture.handoff.rewind-ack-timeout=2s", // a test acks after reading the rewind; a busy CI machine needs the slack
      "overture.handoff.resume-window=1s",
      "overture.handoff.max-events-per-second=50",
      "overture.verify.repair-bridges[0]=\\" + HandoffServiceTest.BRIDGE,
    })
@Import(PuppetEngineConfiguration.class)
@AutoConfigureWebTestClient(timeout = "PT30S") // the first request of a class can be slow on a busy 2-core CI machine
public @interface HandoffServiceTest {
  String KEY = "test-key-0123456789";
  String RATE_KEY = "rate-key-0123456789";
  String BRIDGE = " Sorry, let me correct that:";
}

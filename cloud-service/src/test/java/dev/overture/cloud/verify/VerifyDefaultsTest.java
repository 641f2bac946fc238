package dev.overture.cloud.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.HandoffServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The service as configured by its own {@code application.yaml} (the test sets no threshold) uses
 * the measured default threshold, the one that {@code chat} and {@code replay} pass too.
 */
@HandoffServiceTest
class VerifyDefaultsTest {

  @Autowired VerifyProperties properties;

  @Test
  void theServiceUsesTheMeasuredDefaultThreshold() {
    assertThat(properties.minWordLogprob()).isEqualTo(Float.parseFloat(VerifyProperties.DEFAULT_MIN_WORD_LOGPROB));
    assertThat(properties.minHeardWordLogprob()).isEqualTo(Float.parseFloat(VerifyProperties.DEFAULT_MIN_HEARD_WORD_LOGPROB));
  }
}

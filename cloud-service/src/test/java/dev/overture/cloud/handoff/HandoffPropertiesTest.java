package dev.overture.cloud.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.protocol.ProtocolLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandoffPropertiesTest {

  private static HandoffProperties properties(int maxFrameBytes, Duration idleTimeout) {
    return new HandoffProperties(maxFrameBytes, 16384, 64, 12, 64, 200, Duration.ofSeconds(15), idleTimeout,
        Duration.ofSeconds(1), Duration.ofSeconds(60), 1024, 2080, 256);
  }

  @Test
  void theAnnouncedLimitsAreTheProtocolDefaultsWhenNothingIsChanged() {
    assertThat(properties(65536, Duration.ofSeconds(45)).limits()).isEqualTo(ProtocolLimits.defaults());
  }

  @Test
  void aFrameLimitBelowTheProtocolMinimumIsRefused() {
    assertThatThrownBy(() -> properties(1000, Duration.ofSeconds(45))).hasMessageContaining("max-frame-bytes");
  }

  @Test
  void anOutboundBufferTooSmallForAResumesReplayIsRefused() {
    assertThatThrownBy(() -> new HandoffProperties(65536, 16384, 64, 12, 64, 200, Duration.ofSeconds(15),
        Duration.ofSeconds(45), Duration.ofSeconds(1), Duration.ofSeconds(60), 1024, 256, 256))
        .hasMessageContaining("outbound-buffer-frames (256)").hasMessageContaining("2051");
  }

  @Test
  void aZeroDurationIsRefused() {
    assertThatThrownBy(() -> properties(65536, Duration.ZERO)).hasMessageContaining("duration");
    assertThatThrownBy(() -> properties(65536, Duration.ofNanos(500_000))).hasMessageContaining("at least 1 ms"); // announced as 0
  }

  @Test
  void aDurationTooLongToAnnounceIsRefusedAtStartup() {
    assertThatThrownBy(() -> properties(65536, Duration.ofDays(30))).hasMessageContaining("24.8 days");
    assertThat(properties(65536, Duration.ofMillis(Integer.MAX_VALUE)).limits().idleTimeoutMs()).isEqualTo(Integer.MAX_VALUE);
  }
}

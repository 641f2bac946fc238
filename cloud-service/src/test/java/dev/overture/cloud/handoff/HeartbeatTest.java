package dev.overture.cloud.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.PuppetEngineConfiguration;
import dev.overture.cloud.testing.RawWebSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The server pings; a client that stops answering is closed and its session ended. The HTTP read
 * timeout is shorter than the protocol's idle timeout here, so the typed timeout also shows that an
 * open WebSocket is no longer subject to it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=puppet",
      "overture.security.api-keys=" + HeartbeatTest.KEY,
      "overture.handoff.ping-interval=100ms",
      "overture.handoff.idle-timeout=800ms",
      "overture.security.request-read-timeout=300ms",
    })
@Import(PuppetEngineConfiguration.class)
class HeartbeatTest {

  static final String KEY = "heartbeat-key-0123456789";

  @LocalServerPort int port;
  @Autowired HandoffSessions sessions;

  @Test
  void aClientThatStopsAnsweringIsClosedWithATimeoutAndItsSessionEnds() throws Exception {
    try (RawWebSocket client = new RawWebSocket(port, KEY)) {
      client.send(new Device().start());
      List<String> received = client.readUntilClosed();
      assertThat(received.get(0)).contains("\"type\":\"session.started\"");
      assertThat(received.get(received.size() - 2)).contains("\"code\":\"timeout\"").contains("\"fatal\":true");
      assertThat(received.get(received.size() - 1)).isEqualTo("close 1008");
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (sessions.open() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sessions.open()).isZero();
  }
}

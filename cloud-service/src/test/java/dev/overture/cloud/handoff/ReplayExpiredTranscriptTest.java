package dev.overture.cloud.handoff;

import dev.overture.cloud.testing.PuppetEngine;
import dev.overture.cloud.testing.PuppetEngineConfiguration;
import dev.overture.cloud.testing.TranscriptReplay;
import dev.overture.cloud.testing.Transcripts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** The transcript whose limits keep only four events for replay, against a service set up so. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "overture.engine.kind=puppet",
      "overture.security.api-keys=" + ReplayExpiredTranscriptTest.KEY,
      "overture.handoff.replay-buffer-events=4",
    })
@Import(PuppetEngineConfiguration.class)
class ReplayExpiredTranscriptTest {

  static final String KEY = "replay-key-0123456789";

  @LocalServerPort int port;
  @Autowired PuppetEngine puppet;
  @Autowired HandoffSessions sessions;

  @Test
  void resumeAfterTheReplayBufferOverflowedIsRefused() {
    Map<String, Object> transcript =
        Transcripts.all().stream()
            .filter(t -> Transcripts.name(t).equals("resume-replay-expired"))
            .findFirst()
            .orElseThrow();
    new TranscriptReplay(transcript, puppet, " unused:").overWebSocket(port, KEY, sessions);
  }
}

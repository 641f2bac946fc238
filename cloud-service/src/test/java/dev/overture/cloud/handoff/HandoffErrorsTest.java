package dev.overture.cloud.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.HandoffServiceTest;
import dev.overture.cloud.testing.PuppetEngine;
import dev.overture.cloud.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.reactive.socket.CloseStatus;

/** Bad frames on {@code /v1/handoff}: each gets a typed error, never a silent close. */
@HandoffServiceTest
class HandoffErrorsTest {

  @LocalServerPort int port;
  @Autowired PuppetEngine puppet;

  @BeforeEach
  void reset() {
    puppet.reset();
  }

  @Test
  void aFrameOverTheSizeLimitIsRefusedUnreadAndTheSocketClosedWith1009() {
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      new Device().open(client);
      client.send("{\"type\":\"ping\",\"event_id\":\"big\",\"seq\":0,\"pad\":\"" + "x".repeat(70_000) + "\"}");
      Map<String, Object> error = client.nextEvent();
      assertThat(error).containsEntry("type", "error").containsEntry("code", "frame_too_large").containsEntry("fatal", true);
      assertThat(client.awaitClose().getCode()).isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
    }
  }

  @Test
  void malformedJsonIsAFatalErrorAndTheSocketClosedWith1007() {
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      client.send("{\"type\": \"session.start\", ");
      Map<String, Object> error = client.nextEvent();
      assertThat(error).containsEntry("type", "error").containsEntry("code", "malformed_json").containsEntry("fatal", true);
      assertThat(client.awaitClose().getCode()).isEqualTo(CloseStatus.BAD_DATA.getCode());
    }
  }

  @Test
  void aBinaryMessageIsMalformedJson() {
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      client.sendBinary(new Device().start().getBytes(StandardCharsets.UTF_8));
      assertThat(client.nextEvent()).containsEntry("code", "malformed_json").containsEntry("fatal", true);
    }
  }

  @Test
  void resumingAnUnknownSessionIsAFatalUnknownSession() {
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      Device device = new Device();
      client.send(device.resume("rh-nobody-knows-this", 3));
      Map<String, Object> error = client.nextEvent();
      assertThat(error).containsEntry("code", "unknown_session").containsEntry("fatal", true).containsEntry("in_reply_to", device.lastId());
      assertThat(client.awaitClose().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
    }
  }

  @Test
  void aSessionCannotBeResumedWithAnotherApiKey() {
    String handle;
    try (WsClient owner = WsClient.connect(port, HandoffServiceTest.KEY)) {
      handle = (String) new Device().open(owner).get("resume_handle");
    }
    try (WsClient other = WsClient.connect(port, HandoffServiceTest.RATE_KEY)) {
      other.send(new Device().resume(handle, 1));
      assertThat(other.nextEvent()).containsEntry("code", "unknown_session").containsEntry("fatal", true);
    }
  }

  @Test
  void anEventOutOfOrderIsRefusedAndTheSessionGoesOn() {
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      Device device = new Device();
      device.open(client);
      client.send(device.turnStart("t1"));
      client.send(device.word("t1", 0, "Sure,"));
      Map<String, Object> error = client.nextEvent();
      assertThat(error).containsEntry("code", "out_of_order").containsEntry("fatal", false).containsEntry("in_reply_to", device.lastId());
      // An opener the cloud could not record leaves the turn unable to go on (protocol section 7).
      Map<String, Object> done = client.nextEvent();
      assertThat(done).containsEntry("type", "continuation.done").containsEntry("status", "failed");
      device.sync(client);
    }
  }

  @Test
  void aFirstFrameOtherThanStartOrResumeIsFatal() {
    try (WsClient client = WsClient.connect(port, HandoffServiceTest.KEY)) {
      client.send(new Device().ping("early"));
      assertThat(client.nextEvent()).containsEntry("code", "out_of_order").containsEntry("fatal", true);
    }
  }

  @Test
  void aResumeOnANewConnectionReplaysWhatTheDroppedOneMissed() {
    PuppetEngine.Reply reply = puppet.expectReply();
    Device device = new Device();
    String handle;
    try (WsClient first = WsClient.connect(port, HandoffServiceTest.KEY)) {
      handle = (String) device.open(first).get("resume_handle");
      device.committedTurn(first, "t1", "Count to three.", java.util.List.of("One,"));
      assertThat(first.nextEvent()).containsEntry("type", "opener.accept").containsEntry("seq", 2);
      first.vanish();
    }
    reply.emit(" two,").emit(" three.").complete(); // generated while nobody listens
    try (WsClient second = WsClient.connect(port, HandoffServiceTest.KEY)) {
      second.send(device.resume(handle, 2));
      assertThat(second.nextEvent()).containsEntry("type", "session.resumed").containsEntry("last_client_seq", 5);
      assertThat(second.nextEvent()).containsEntry("text", " two,").containsEntry("seq", 3);
      assertThat(second.nextEvent()).containsEntry("text", " three.").containsEntry("seq", 4);
      assertThat(second.nextEvent()).containsEntry("type", "continuation.done").containsEntry("seq", 5);
    }
  }
}

package dev.overture.cloud.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.testing.Device;
import dev.overture.cloud.testing.RawWebSocket;
import dev.overture.cloud.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Hostile input on {@code /v1/handoff}, over the real WebSocket transport: each case gets its
 * typed error and, where the error is fatal, the close code the protocol names; and afterwards a
 * fresh session works.
 */
class HostileWebSocketTest extends HostileService {

  private static final int LIMIT = 65_536; // max_frame_bytes, the protocol default

  /** A ping padded with a member the protocol ignores to exactly {@code bytes} bytes. */
  private static String pingOfSize(String id, int bytes) {
    String head = "{\"type\":\"ping\",\"event_id\":\"" + id + "\",\"seq\":0,\"pad\":\"";
    String tail = "\"}";
    return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
  }

  private static void assertFatal(Map<String, Object> error, String code) {
    assertThat(error).containsEntry("type", "error").containsEntry("code", code).containsEntry("fatal", true);
  }

  /** The fatal error the server sends next, after checking it and the close code that follows. */
  private static Map<String, Object> closedWith(WsClient client, String code, CloseStatus close) {
    Map<String, Object> error = client.nextEvent();
    assertFatal(error, code);
    assertThat(client.awaitClose().getCode()).isEqualTo(close.getCode());
    return error;
  }

  /** What a raw client does after its session.start, with the device that numbers its frames. */
  private interface Hostile {
    void send(RawWebSocket client, Device device) throws IOException;
  }

  /**
   * Starts a session on a raw client, lets {@code hostile} send, and checks that the server ends it
   * with the fatal error {@code code}, then {@code closeCode}; returns every text frame received.
   */
  private List<String> endedBy(Hostile hostile, String code, int closeCode) throws IOException {
    List<String> received;
    try (RawWebSocket client = new RawWebSocket(port, KEY)) {
      Device device = new Device();
      client.send(device.start());
      hostile.send(client, device);
      received = client.readUntilClosed();
    }
    assertFatal(received, code, closeCode);
    return received;
  }

  /** What a raw client received ends with the fatal error {@code code}, then the close code. */
  private static void assertFatal(List<String> received, String code, int closeCode) {
    assertThat(received.get(received.size() - 2))
        .contains("\"code\":\"" + code + "\"")
        .contains("\"fatal\":true");
    assertThat(received.get(received.size() - 1)).isEqualTo("close " + closeCode);
  }

  // ---- Floods. The hostile service allows 50 events per second. ----

  /** A flood: the frames that set it up after session.start, and its n-th frame. */
  record Flood(String name, Function<Device, List<String>> setup, BiFunction<Device, Integer, String> frame) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Flood> floods() {
    return Stream.of(
        new Flood("valid pings", device -> List.of(), (device, n) -> device.ping("p-" + n)),
        new Flood("commits to an unknown turn", device -> List.of(), (device, n) -> device.commit("nosuch", List.of())),
        new Flood(
            "opener words beyond max_opener_words",
            device -> List.of(device.turnStart("t1"), device.inputFinal("t1", "Hi")),
            (device, n) -> device.unchecked("opener.word", "\"turn_id\":\"t1\",\"index\":" + n + ",\"text\":\" so\"")));
  }

  /**
   * 600 events in one write of under 64 KiB, so that they are all in the server's socket buffer
   * before it closes: a client still writing when the server aborts it gets a reset instead of the
   * close frame, by TCP's rules.
   */
  @ParameterizedTest
  @MethodSource("floods")
  void aFloodIsRateLimitedThenEndedWithAFatalRateLimitedAndClose1008(Flood flood) throws Exception {
    List<String> received = endedBy((client, device) -> {
      List<String> frames = new ArrayList<>(flood.setup().apply(device));
      for (int n = 0; n < 600; n++) {
        frames.add(flood.frame().apply(device, n));
      }
      client.sendAll(frames);
    }, "rate_limited", 1008);
    assertThat(received).anyMatch(frame -> frame.contains("\"code\":\"rate_limited\",") && frame.contains("\"fatal\":false"));
    // Refused events draw on a second bucket of 50: about 100 answers, whatever the flood.
    assertThat(received).hasSizeLessThan(200);
    aFreshSessionWorks();
  }

  @Test
  void rejectedEventsCountAgainstTheRateAndTheSessionGoesOn() throws InterruptedException {
    try (WsClient client = WsClient.connect(port, KEY)) {
      Device device = new Device();
      device.open(client);
      for (int n = 0; n < 90; n++) { // 50 allowed, 40 over: under the second bucket, so not fatal
        client.send(device.commit("nosuch", List.of()));
      }
      List<Object> codes = new ArrayList<>();
      for (int n = 0; n < 90; n++) {
        codes.add(client.nextEvent().get("code"));
      }
      assertThat(codes).contains("unknown_turn", "rate_limited");
      Thread.sleep(1100); // the bucket refills
      device.sync(client);
    }
  }

  // ---- Sizes: max_frame_bytes is the one limit of the transport and the protocol. ----

  @Test
  void aFrameAtTheLimitIsAccepted() {
    try (WsClient client = WsClient.connect(port, KEY)) {
      new Device().open(client);
      String frame = pingOfSize("at-limit", LIMIT);
      assertThat(WsClient.bytes(frame)).isEqualTo(LIMIT);
      client.send(frame);
      assertThat(client.nextEvent()).containsEntry("type", "pong").containsEntry("in_reply_to", "at-limit");
    }
    aFreshSessionWorks();
  }

  @Test
  void aFrameOneByteOverTheLimitIsAFatalFrameTooLargeClosedWith1009() {
    try (WsClient client = WsClient.connect(port, KEY)) {
      new Device().open(client);
      client.send(pingOfSize("over", LIMIT + 1));
      closedWith(client, "frame_too_large", CloseStatus.TOO_BIG_TO_PROCESS);
    }
    aFreshSessionWorks();
  }

  @Test
  void aFrameOfFiveMegabytesIsRefusedAfterItsHeaderWithFrameTooLargeAndClose1009() throws Exception {
    // The answer comes without the rest of the payload.
    endedBy((client, device) -> client.sendPartialFrame(5 << 20, 1024), "frame_too_large", 1009);
    aFreshSessionWorks();
  }

  @Test
  void aMessageOverTheLimitInFragmentsIsAFatalFrameTooLarge() throws Exception {
    byte[] fragment = "x".repeat(LIMIT / 2).getBytes(StandardCharsets.UTF_8);
    endedBy((client, device) -> {
      client.sendFrame(RawWebSocket.TEXT, false, "{\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
      client.sendFrame(RawWebSocket.CONTINUATION, false, fragment);
      client.sendFrame(RawWebSocket.CONTINUATION, false, fragment);
      client.sendFrame(RawWebSocket.CONTINUATION, true, "\"}".getBytes(StandardCharsets.UTF_8));
    }, "frame_too_large", 1009);
    aFreshSessionWorks();
  }

  @Test
  void aTextFrameThatIsNotUtf8IsAFatalMalformedJsonClosedWith1007() throws Exception {
    byte[] frame = "{\"type\":\"ping\",\"event_id\":\"p\",\"seq\":0,\"x\":\"\u00c3(\"}".getBytes(StandardCharsets.ISO_8859_1);
    endedBy((client, device) -> client.sendFrame(RawWebSocket.TEXT, true, frame), "malformed_json", 1007);
    aFreshSessionWorks();
  }

  @Test
  void anUnknownTypeThatCannotBeQuotedStillGetsItsFatalError() throws Exception {
    // An escaped lone surrogate in an unknown type, and no seq: fatal invalid_event. The error
    // must still be sendable although the peer's type cannot be.
    endedBy((client, device) -> client.send("{\"type\":\"x\\ud800\",\"event_id\":\"c-9\"}"), "invalid_event", 1008);
    aFreshSessionWorks();
  }

  // ---- First frames: a connection without a session is closed, never left open. ----

  static Stream<String> badFirstFrames() {
    return Stream.of(
        "{\"type\":\"opener.commit\",\"seq\":1}",
        "{\"type\":\"turn.start\",\"seq\":1,\"event_id\":\"c-1\"}",
        "{\"type\":\"turn.start\",\"seq\":1,\"event_id\":\"c-1\",\"turn_id\":\"t1\"}",
        "{\"type\":\"session.start\",\"seq\":1,\"event_id\":\"c-1\"}",
        "{\"type\":\"future.event\",\"seq\":1,\"event_id\":\"c-1\"}",
        "{\"type\":\"error\",\"seq\":0,\"event_id\":\"c-1\",\"code\":\"internal\",\"message\":\"m\",\"fatal\":false}");
  }

  @ParameterizedTest
  @MethodSource("badFirstFrames")
  void aFirstFrameThatCannotOpenASessionIsAFatalOutOfOrderClose1008(String frame) {
    try (WsClient client = WsClient.connect(port, KEY)) {
      client.send(frame);
      closedWith(client, "out_of_order", CloseStatus.POLICY_VIOLATION);
    }
    aFreshSessionWorks();
  }

  @Test
  void aFirstFrameWithoutTypeIsAFatalInvalidEvent() {
    try (WsClient client = WsClient.connect(port, KEY)) {
      client.send("{\"seq\":1,\"event_id\":\"c-1\"}");
      Map<String, Object> error = closedWith(client, "invalid_event", CloseStatus.POLICY_VIOLATION);
      assertThat(error).containsEntry("message", "event.type: missing");
    }
    aFreshSessionWorks();
  }

  // ---- Context over the model's window (256 tokens). ----

  @Test
  void sessionStartedAnnouncesTheCharacterLimitTheLoadedModelHolds() {
    try (WsClient client = WsClient.connect(port, KEY)) {
      assertThat(new Device().open(client).get("limits")).asInstanceOf(InstanceOfAssertFactories.MAP)
          .containsEntry("max_context_chars", engine.maxContextChars());
      assertThat(engine.maxContextChars()).isLessThan(16_384); // the configured limit, which the model cannot hold
    }
  }

  @Test
  void aTextOverTheAnnouncedLimitIsContextTooLargeAndFailsItsTurnNotTheEngine() {
    double engineFailures = errors("engine_failed");
    try (WsClient client = WsClient.connect(port, KEY)) {
      Device device = new Device();
      device.open(client);
      client.send(device.turnStart("t1"));
      client.send(device.inputFinal("t1", "tell me about words ".repeat(100)));
      Map<String, Object> error = client.nextEvent();
      assertThat(error).containsEntry("code", "context_too_large").containsEntry("fatal", false)
          .containsEntry("in_reply_to", device.lastId());
      assertFailedDone(client.nextEvent(), "context_too_large");
      device.sync(client);
    }
    assertThat(errors("engine_failed")).isEqualTo(engineFailures);
    aFreshSessionWorks();
  }

  @Test
  void anOpenerThatPushesThePromptPastTheWindowFailsItsTurnAtTheCommitBeforeAnyEngineWork() {
    double engineFailures = errors("engine_failed");
    List<String> opener = new ArrayList<>(List.of("Well"));
    for (int i = 1; i < 12; i++) {
      opener.add(" " + "qz".repeat(30)); // 12 words of up to 61 characters: far more tokens than the window has
    }
    try (WsClient client = WsClient.connect(port, KEY)) {
      Device device = new Device();
      device.open(client);
      device.committedTurn(client, "t1", "Hi", opener);
      assertFailedDone(client.nextEvent(), "context_too_large"); // no verdict first: the engine never ran
      device.sync(client);
    }
    assertThat(errors("engine_failed")).isEqualTo(engineFailures);
    aFreshSessionWorks();
  }

  private static void assertFailedDone(Map<String, Object> done, String code) {
    assertThat(done).containsEntry("type", "continuation.done").containsEntry("status", "failed");
    assertThat(done.get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("code", code);
  }

  // ---- Wrong types and deep nesting. ----

  /**
   * The error a {@code type} event with {@code members} gets in turn t1, after checking that the
   * session went on (a ping is answered) and that a fresh session works.
   */
  private Map<String, Object> rejectedInATurn(String type, String members) {
    Map<String, Object> error;
    try (WsClient client = WsClient.connect(port, KEY)) {
      Device device = new Device();
      device.open(client);
      client.send(device.turnStart("t1"));
      client.send(device.unchecked(type, "\"turn_id\":\"t1\"," + members));
      error = client.nextEvent();
      device.sync(client);
    }
    aFreshSessionWorks();
    return error;
  }

  @Test
  void aMemberOfTheWrongTypeIsAnInvalidEventNamingItAndTheSessionGoesOn() {
    assertThat(rejectedInATurn("input.final", "\"text\":5"))
        .containsEntry("code", "invalid_event").containsEntry("fatal", false)
        .containsEntry("message", "input.final.text: must be a string");
  }

  @Test
  void anIntegerBeyondItsRangeIsAnInvalidEventNamingTheBound() {
    assertThat(rejectedInATurn("opener.word", "\"index\":1099511627776,\"text\":\"So\""))
        .containsEntry("code", "invalid_event").containsEntry("fatal", false)
        .containsEntry("message", "opener.word.index: must be at most 2147483647");
  }

  @Test
  void deepNestingIsAFatalMalformedJsonClose1007() {
    try (WsClient client = WsClient.connect(port, KEY)) {
      new Device().open(client);
      client.send("{\"type\":\"ping\",\"event_id\":\"p\",\"seq\":0,\"x\":" + "[".repeat(40) + "]".repeat(40) + "}");
      Map<String, Object> error = closedWith(client, "malformed_json", CloseStatus.BAD_DATA);
      assertThat((String) error.get("message")).contains("nesting deeper than 32");
    }
    aFreshSessionWorks();
  }

  // ---- Half-open clients. ----

  @Test
  void aClientThatStopsInTheMiddleOfAFrameIsClosedWithAFatalTimeout() throws Exception {
    List<String> received = endedBy((client, device) -> client.sendPartialFrame(1000, 10), "timeout", 1008); // then silence
    assertThat(received.get(0)).contains("\"type\":\"session.started\"");
    aFreshSessionWorks();
  }
}

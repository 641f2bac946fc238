package dev.overture.protocol.conformance;

import static dev.overture.protocol.conformance.Expectations.check;
import static dev.overture.protocol.conformance.Expectations.expected;
import static dev.overture.protocol.conformance.Expectations.outcome;

import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.Event;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.ProtocolVersion;
import dev.overture.protocol.UnknownEvent;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.codec.JsonBinding;
import dev.overture.protocol.codec.JsonBindingException;
import dev.overture.protocol.session.CloudSession;
import dev.overture.protocol.session.DeviceSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handoff protocol's conformance vectors, shipped in this jar under {@code
 * dev/overture/protocol/conformance/}, run through one {@link JsonBinding}: frame vectors (valid
 * frames with their decoded form, invalid frames with their error) and whole-turn transcripts fed
 * through both sides' state machines. The device and cloud modules run the same cases through
 * their own Jackson line.
 */
public final class ConformanceSuite {

  private static final String ROOT = "/dev/overture/protocol/conformance/";

  private final JsonBinding binding;

  public ConformanceSuite(JsonBinding binding) {
    this.binding = binding;
  }

  /**
   * Every vector and transcript as a runnable case.
   *
   * @throws IllegalStateException if the resources are missing or unreadable (a packaging bug)
   */
  public List<ConformanceCase> cases() {
    ConformanceIndex index = load("index.json", ConformanceIndex.class);
    List<ConformanceCase> cases = new ArrayList<>();
    for (String file : index.vectorFiles()) {
      for (Vector vector : load(file, VectorFile.class).vectors()) {
        cases.add(new ConformanceCase(file + ": " + vector.name(), () -> checkVector(vector)));
      }
    }
    for (String file : index.transcripts()) {
      Transcript transcript = load(file, Transcript.class);
      cases.add(
          new ConformanceCase(
              "transcript: " + transcript.name(),
              () -> new TranscriptRun(this, binding, transcript).run()));
    }
    return Collections.unmodifiableList(cases);
  }

  /**
   * Writes every frame of the vectors and transcripts into {@code directory}, one file each, as a
   * seed corpus for a fuzzer.
   */
  public void writeSeedCorpus(Path directory) throws IOException, JsonBindingException {
    Files.createDirectories(directory);
    int n = 0;
    ConformanceIndex index = load("index.json", ConformanceIndex.class);
    for (String file : index.vectorFiles()) {
      for (Vector vector : load(file, VectorFile.class).vectors()) {
        byte[] frame =
            vector.frameBase64() != null
                ? Base64.getDecoder().decode(vector.frameBase64())
                : text(vector.frame(), vector.frameText()).getBytes(StandardCharsets.UTF_8);
        Files.write(directory.resolve("conformance-" + n++), frame);
      }
    }
    for (String file : index.transcripts()) {
      for (TranscriptStep step : load(file, Transcript.class).steps()) {
        if (step.action() == null) {
          byte[] frame = text(step.frame(), step.frameText()).getBytes(StandardCharsets.UTF_8);
          Files.write(directory.resolve("conformance-" + n++), frame);
        }
      }
    }
  }

  /**
   * The fuzzing oracle: decodes arbitrary bytes in both directions and as a one-shot request, and
   * feeds those whose envelope can be read to a device and a cloud session mid-turn (one-shot
   * sessions, which need no handshake frames).
   * Passes when every outcome is an event or a {@link ProtocolException}, and every decoded event
   * encodes and decodes back to itself; throws anything else.
   */
  public void checkArbitraryFrame(byte[] frame) throws JsonBindingException {
    EventCodec codec = new EventCodec(binding);
    boolean interesting = false;
    try {
      roundTrip(codec, codec.decodeClient(frame));
      interesting = true;
    } catch (ProtocolException e) {
      interesting = e.rejectedSeq().isPresent();
    }
    try {
      roundTrip(codec, codec.decodeServer(frame));
      interesting = true;
    } catch (ProtocolException e) {
      interesting |= e.rejectedSeq().isPresent();
    }
    try {
      ContinueRequest request = codec.decodeContinueRequest(frame);
      check("continue request round trip", request, codec.decodeContinueRequest(codec.encode(request)));
    } catch (ProtocolException expected) {
      // a typed rejection is a correct outcome
    }
    if (!interesting) {
      return; // refused before its envelope could be read: the sessions only close on it
    }
    ContinueRequest midTurn =
        new ContinueRequest(
            ProtocolVersion.CURRENT,
            "t1",
            Collections.emptyList(),
            "Do you like music?",
            Arrays.asList("I", " love"),
            null,
            null);
    DeviceSession device;
    CloudSession cloud;
    try {
      device = DeviceSession.forContinue(codec, midTurn);
      cloud = CloudSession.forContinue(codec, midTurn);
    } catch (ProtocolException e) {
      throw new IllegalStateException("the probe's own request was rejected", e);
    }
    outcome(() -> device.receive(frame));
    outcome(() -> cloud.receive(frame));
  }

  private void roundTrip(EventCodec codec, Event event) throws ProtocolException {
    if (event instanceof UnknownEvent) {
      return;
    }
    String frame = codec.encode(event);
    Event again = event instanceof ClientEvent ? codec.decodeClient(frame) : codec.decodeServer(frame);
    check("round trip of " + frame, event, again);
  }

  private void checkVector(Vector vector) throws Exception {
    EventCodec codec = new EventCodec(binding, limits(binding, vector.limits()));
    String where = vector.name();
    if (vector.error() != null) {
      try {
        decode(codec, vector);
      } catch (ProtocolException e) {
        check(where, expected(vector.error(), vector.fatal()), outcome(e));
        check(where + ": in_reply_to", vector.inReplyTo(), e.inReplyTo());
        return;
      }
      throw new AssertionError(where + ": decoded, but expected " + vector.error());
    }
    Object decoded = decode(codec, vector);
    Object expected = binding.read(binding.write(vector.decoded()), Object.class);
    if (decoded instanceof UnknownEvent) {
      UnknownEvent unknown = (UnknownEvent) decoded;
      Map<String, Object> envelope = new LinkedHashMap<>();
      envelope.put("type", unknown.type());
      envelope.put("event_id", unknown.eventId());
      envelope.put("seq", unknown.seq());
      check(where + ": decoded form", expected, binding.read(binding.write(envelope), Object.class));
      return;
    }
    String encoded =
        decoded instanceof Event ? codec.encode((Event) decoded) : codec.encode((ContinueRequest) decoded);
    check(where + ": decoded form", expected, binding.read(encoded, Object.class));
    check(where + ": round trip", decoded, decodeText(codec, vector.direction(), encoded));
  }

  private Object decode(EventCodec codec, Vector vector) throws Exception {
    if (vector.frameBase64() != null) {
      byte[] bytes = Base64.getDecoder().decode(vector.frameBase64());
      switch (vector.direction()) {
        case "client":
          return codec.decodeClient(bytes);
        case "server":
          return codec.decodeServer(bytes);
        default:
          return codec.decodeContinueRequest(bytes);
      }
    }
    return decodeText(codec, vector.direction(), text(vector.frame(), vector.frameText()));
  }

  private static Object decodeText(EventCodec codec, String direction, String text)
      throws ProtocolException {
    switch (direction) {
      case "client":
        return codec.decodeClient(text);
      case "server":
        return codec.decodeServer(text);
      case "continue_request":
        return codec.decodeContinueRequest(text);
      default:
        throw new AssertionError("unknown direction " + direction);
    }
  }

  /** A frame given as exact text, or else as a JSON value. */
  String text(Object frame, String frameText) throws JsonBindingException {
    return frameText != null ? frameText : binding.write(frame);
  }

  /** The default limits with the given members replaced. */
  static ProtocolLimits limits(JsonBinding binding, Map<String, Object> overrides)
      throws JsonBindingException {
    if (overrides == null || overrides.isEmpty()) {
      return ProtocolLimits.defaults();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> members =
        (Map<String, Object>) binding.read(binding.write(ProtocolLimits.defaults()), Object.class);
    members.putAll(overrides);
    return binding.read(binding.write(members), ProtocolLimits.class);
  }

  private <T> T load(String file, Class<T> type) {
    try (InputStream in = ConformanceSuite.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing conformance resource " + ROOT + file);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes.write(buffer, 0, n);
      }
      return binding.read(new String(bytes.toByteArray(), StandardCharsets.UTF_8), type);
    } catch (IOException | JsonBindingException e) {
      throw new IllegalStateException("unreadable conformance resource " + ROOT + file, e);
    }
  }
}

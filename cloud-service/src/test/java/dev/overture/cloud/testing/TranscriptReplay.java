package dev.overture.cloud.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.handoff.HandoffSessions;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson3.Jackson3Binding;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Replays one conformance transcript against the running service: the device's frames go out as
 * written, the {@link PuppetEngine} produces exactly the cloud's content when the transcript says
 * so, and every frame the service sends is compared with the transcript's cloud frame.
 *
 * <p>What is compared: type, seq, turn id and the members that carry meaning (verdict counts,
 * delta texts, done status and failure code, truncated text, error code, fatal and in_reply_to,
 * pong's in_reply_to, last_client_seq). Not compared: event ids, session ids and resume handles
 * (ours are random; the device's frames get ours substituted), limits, messages, usage numbers.
 *
 * <p>Where a transcript shows one choice among several the protocol allows, the replay follows the
 * service's: cloud frames the device rejects are frames this service never sends (skipped, and
 * later seq numbers shift down); deltas the transcript shows in flight after a cancel are never
 * generated (the service ends the turn at once); the first delta after a repair is the service's
 * configured bridge; an error the transcript only marks on the device step is expected too.
 * Numbered frames must arrive in the transcript's order; connection frames (errors, pongs) may
 * arrive earlier than the transcript shows them.
 */
public final class TranscriptReplay {

  private static final Set<String> SERVER_TYPES =
      Set.of(
          "session.started", "session.resumed", "pong", "session.go_away", "opener.accept",
          "opener.rewind", "opener.repair", "continuation.delta", "continuation.done",
          "turn.truncated", "error");
  private static final Set<String> VERDICTS = Set.of("opener.accept", "opener.rewind", "opener.repair");

  private static final EventCodec CODEC = new EventCodec(new Jackson3Binding());

  private final Map<String, Object> transcript;
  private final List<Map<String, Object>> steps;
  private final PuppetEngine puppet;
  private final String bridge;
  private final boolean[] skipped;
  private final long[] expectedSeq;
  private final boolean[] bridgeStep;
  /** Cloud steps that resend an earlier event after a resume: the engine does nothing for them. */
  private final boolean[] replayStep;
  private final Map<String, PuppetEngine.Reply> replies = new HashMap<>();
  private final Map<String, PuppetEngine.Score> heldScores = new HashMap<>();
  private final Set<Integer> consumed = new HashSet<>();
  private final Deque<Map<String, Object>> pending = new ArrayDeque<>();
  private String transcriptHandle;
  private String handle;
  private int syncs;

  public TranscriptReplay(Map<String, Object> transcript, PuppetEngine puppet, String bridge) {
    this.transcript = transcript;
    this.steps = list(transcript.get("steps"));
    this.puppet = puppet;
    this.bridge = bridge;
    this.skipped = new boolean[steps.size()];
    this.expectedSeq = new long[steps.size()];
    this.bridgeStep = new boolean[steps.size()];
    this.replayStep = new boolean[steps.size()];
    plan();
  }

  /** Decides, before anything is sent, which cloud steps this service skips and their seq. */
  private void plan() {
    Set<String> cancelled = new HashSet<>();
    Set<String> repaired = new HashSet<>();
    Set<String> sent = new HashSet<>();
    long shift = 0;
    for (int i = 0; i < steps.size(); i++) {
      Map<String, Object> step = steps.get(i);
      Map<String, Object> frame = frame(step);
      if (frame == null) {
        continue;
      }
      String type = (String) frame.get("type");
      String turn = (String) frame.get("turn_id");
      if ("device".equals(step.get("from"))) {
        if ("turn.cancel".equals(type)) {
          cancelled.add(turn);
        }
        continue;
      }
      boolean skip =
          step.get("error") != null
              || !SERVER_TYPES.contains(type)
              || ("continuation.delta".equals(type) && cancelled.contains(turn));
      long seq = ((Number) frame.get("seq")).longValue();
      if (skip) {
        skipped[i] = true;
        shift += seq > 0 ? 1 : 0;
        continue;
      }
      expectedSeq[i] = seq > 0 ? seq - shift : 0;
      if (!sent.add((String) frame.get("event_id"))) {
        replayStep[i] = true;
        continue;
      }
      if ("opener.repair".equals(type)) {
        repaired.add(turn);
      } else if ("continuation.delta".equals(type) && repaired.remove(turn)) {
        bridgeStep[i] = true;
      }
    }
  }

  /** Replays a WebSocket transcript on {@code port}. */
  public void overWebSocket(int port, String apiKey, HandoffSessions sessions) {
    WsClient client = WsClient.connect(port, apiKey);
    try {
      for (int i = 0; i < steps.size(); i++) {
        Map<String, Object> step = steps.get(i);
        if ("disconnect".equals(step.get("action"))) {
          client.close();
          pending.clear();
          client = WsClient.connect(port, apiKey);
          continue;
        }
        if ("device".equals(step.get("from"))) {
          deviceStep(i, client);
        } else if (!skipped[i] && !consumed.contains(i)) {
          cloudStep(i, client, sessions);
        }
      }
      finish(client);
    } finally {
      client.close();
    }
  }

  /**
   * Replays a one-shot transcript: queues the engine's answers, posts the request with {@code
   * post} (which returns the frames of the response) and compares them.
   */
  public void overHttp(Supplier<List<String>> post) {
    for (int i = 0; i < steps.size(); i++) {
      Map<String, Object> frame = frame(steps.get(i));
      if (frame == null || skipped[i]) {
        continue;
      }
      String type = (String) frame.get("type");
      String turn = (String) frame.get("turn_id");
      if (VERDICTS.contains(type) && committedWords(i) > 0) {
        puppet.expectScore().complete(scoresFor(i));
      } else if ("continuation.delta".equals(type) && !bridgeStep[i]) {
        reply(turn).emit((String) frame.get("text"));
      } else if ("continuation.done".equals(type) && generates(i - 1, turn)) {
        reply(turn).complete();
      }
    }
    Iterator<String> frames = post.get().iterator();
    for (int i = 0; i < steps.size(); i++) {
      if (frame(steps.get(i)) != null && !skipped[i]) {
        assertThat(frames.hasNext()).as("frame for step %d of %s", i + 1, name()).isTrue();
        compare(i, parse(frames.next()));
      }
    }
    assertThat(frames.hasNext()).as("frames after the last step of %s", name()).isFalse();
  }

  private void deviceStep(int i, WsClient client) {
    Map<String, Object> step = steps.get(i);
    Map<String, Object> frame = frame(step);
    String type = (String) frame.get("type");
    String turn = (String) frame.get("turn_id");
    if ("opener.commit".equals(type) && step.get("error") == null) {
      prepareTurn(i, turn);
    }
    if (Boolean.FALSE.equals(step.get("delivered"))) {
      return; // lost in flight
    }
    client.send(text(step));
    if (step.get("error") != null && !errorFollows(i, (String) frame.get("event_id"))) {
      Map<String, Object> error = take(client, isError((String) frame.get("event_id")));
      assertThat(error.get("code")).as("%s: error for step %d", name(), i + 1).isEqualTo(step.get("error"));
      assertThat(error.get("fatal")).as("%s: fatal for step %d", name(), i + 1).isEqualTo(Boolean.TRUE.equals(step.get("fatal")));
    }
    if ("opener.commit".equals(type) && step.get("error") == null) {
      int verdict = verdictStep(i, turn);
      if (verdict >= 0 && !"opener.repair".equals(frame(steps.get(verdict)).get("type"))) {
        // The verdict goes out before the device's next frames, as in the transcript's order of
        // causes: the engine decided before it saw them.
        cloudStep(verdict, client, null);
      }
    }
  }

  /** Queues the engine's score and reply for the turn committed at step {@code commit}. */
  private void prepareTurn(int commit, String turn) {
    if (generates(commit, turn)) {
      reply(turn);
    }
    int verdict = verdictStep(commit, turn);
    if (verdict < 0 || committedWords(verdict) == 0) {
      return; // failed or cancelled before any verdict, or nothing to score
    }
    PuppetEngine.Score score = puppet.expectScore();
    if ("opener.repair".equals(frame(steps.get(verdict)).get("type"))) {
      heldScores.put(turn, score); // released at the repair, once the progress before it is in
    } else {
      score.complete(scoresFor(verdict));
    }
  }

  private void cloudStep(int i, WsClient client, HandoffSessions sessions) {
    consumed.add(i);
    Map<String, Object> step = steps.get(i);
    Map<String, Object> frame = frame(step);
    String type = (String) frame.get("type");
    String turn = (String) frame.get("turn_id");
    switch (replayStep[i] ? "replay" : type) {
      case "opener.repair" -> {
        PuppetEngine.Score score = heldScores.remove(turn);
        if (score != null) {
          sync(client);
          score.complete(scoresFor(i));
        }
      }
      case "continuation.delta" -> {
        if (!bridgeStep[i]) {
          reply(turn).emit((String) frame.get("text"));
        }
      }
      case "continuation.done" -> {
        if (!"failed".equals(frame.get("status")) && !"cancelled".equals(frame.get("status"))) {
          reply(turn).complete();
        }
      }
      case "session.go_away" ->
          sessions.goAway(Duration.ofMillis(((Number) frame.get("time_left_ms")).longValue()), (String) frame.get("reason"));
      default -> {}
    }
    Map<String, Object> actual =
        expectedSeq[i] > 0 ? take(client, e -> seq(e) > 0) : take(client, sameConnectionEvent(frame));
    compare(i, actual);
    if ("session.started".equals(type)) {
      transcriptHandle = (String) frame.get("resume_handle");
      handle = (String) actual.get("resume_handle");
    }
  }

  private void compare(int i, Map<String, Object> actual) {
    Map<String, Object> expected = frame(steps.get(i));
    String where = name() + ", step " + (i + 1);
    assertThat(actual.get("type")).as(where + ": type of " + actual).isEqualTo(expected.get("type"));
    assertThat(seq(actual)).as(where + ": seq of " + actual).isEqualTo(expectedSeq[i]);
    Map<String, Object> wanted = meaning(canonical(expected));
    if (bridgeStep[i]) {
      wanted.put("text", bridge);
    }
    assertThat(meaning(actual)).as(where).isEqualTo(wanted);
  }

  /** The frame as this protocol version reads it: members of newer versions dropped. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> canonical(Map<String, Object> frame) {
    try {
      return parse(CODEC.encode(CODEC.decodeServer(Transcripts.JSON.writeValueAsString(frame))));
    } catch (ProtocolException e) {
      throw new AssertionError("the transcript's cloud frame does not decode: " + frame, e);
    }
  }

  /** The members that carry meaning. */
  private static Map<String, Object> meaning(Map<String, Object> frame) {
    Map<String, Object> kept = new LinkedHashMap<>(frame);
    for (String member : List.of("event_id", "seq", "session_id", "resume_handle", "limits", "message", "usage", "reason", "time_left_ms")) {
      kept.remove(member);
    }
    if (kept.get("failure") instanceof Map<?, ?> failure) {
      kept.put("failure", failure.get("code"));
    }
    return kept;
  }

  private void finish(WsClient client) {
    Map<?, ?> phases = (Map<?, ?>) transcript.get("expect_phases");
    if (phases != null && "closed".equals(phases.get("cloud"))) {
      client.awaitClose();
      return;
    }
    sync(client);
    assertThat(pending).as("%s: frames the transcript does not have", name()).isEmpty();
  }

  /** Makes sure the service handled every frame sent so far: a ping answered after them. */
  private void sync(WsClient client) {
    String id = "sync-" + (++syncs);
    client.send("{\"type\":\"ping\",\"event_id\":\"" + id + "\",\"seq\":0}");
    take(client, e -> "pong".equals(e.get("type")) && id.equals(e.get("in_reply_to")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String frame) {
    return Transcripts.JSON.readValue(frame, Map.class);
  }

  /** The first frame matching {@code wanted}, from those set aside first; others are set aside. */
  private Map<String, Object> take(WsClient client, Predicate<Map<String, Object>> wanted) {
    for (Iterator<Map<String, Object>> it = pending.iterator(); it.hasNext(); ) {
      Map<String, Object> event = it.next();
      if (wanted.test(event)) {
        it.remove();
        return event;
      }
    }
    while (true) {
      Map<String, Object> event = parse(client.next());
      if (wanted.test(event)) {
        return event;
      }
      pending.add(event);
    }
  }

  /** Word scores that make the service give the verdict of {@code verdictStep}. */
  private float[] scoresFor(int verdictStep) {
    Map<String, Object> verdict = frame(steps.get(verdictStep));
    int words = committedWords(verdictStep);
    float[] scores = new float[words];
    switch ((String) verdict.get("type")) {
      case "opener.rewind" -> scores[((Number) verdict.get("keep_words")).intValue()] = -50f;
      case "opener.repair" -> scores[0] = -50f;
      default -> {}
    }
    // A rejected rewind (one-shot HTTP) is what the engine wanted before the service repaired.
    for (int i = 0; i < verdictStep; i++) {
      Map<String, Object> earlier = frame(steps.get(i));
      if (earlier != null && skipped[i] && "opener.rewind".equals(earlier.get("type"))) {
        scores[((Number) earlier.get("keep_words")).intValue()] = -50f;
      }
    }
    return scores;
  }

  private int committedWords(int verdictStep) {
    for (int i = verdictStep; i >= 0; i--) {
      Map<String, Object> frame = frame(steps.get(i));
      if (frame != null && "opener.commit".equals(frame.get("type")) && steps.get(i).get("error") == null) {
        return ((Number) frame.get("word_count")).intValue();
      }
    }
    Map<?, ?> request = (Map<?, ?>) transcript.get("continue_request");
    return ((List<?>) request.get("opener_words")).size();
  }

  /** Whether the engine is asked to continue {@code turn}: a delta or a settled done follows. */
  private boolean generates(int from, String turn) {
    for (int i = from + 1; i < steps.size(); i++) {
      Map<String, Object> frame = frame(steps.get(i));
      if (frame == null || skipped[i] || !"cloud".equals(steps.get(i).get("from")) || !turn.equals(frame.get("turn_id"))) {
        continue;
      }
      Object status = frame.get("status");
      if ("continuation.delta".equals(frame.get("type")) || "completed".equals(status) || "truncated".equals(status)) {
        return true;
      }
    }
    return false;
  }

  /** The first verdict of {@code turn} after step {@code from}, or -1. */
  private int verdictStep(int from, String turn) {
    for (int i = from + 1; i < steps.size(); i++) {
      Map<String, Object> frame = frame(steps.get(i));
      if (frame != null && !skipped[i] && "cloud".equals(steps.get(i).get("from"))
          && VERDICTS.contains(frame.get("type")) && turn.equals(frame.get("turn_id"))) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the transcript itself lists the error answering device event {@code eventId} next. */
  private boolean errorFollows(int device, String eventId) {
    for (int i = device + 1; i < steps.size(); i++) {
      Map<String, Object> frame = frame(steps.get(i));
      if (frame == null || "device".equals(steps.get(i).get("from"))) {
        return false;
      }
      if ("error".equals(frame.get("type")) && eventId.equals(frame.get("in_reply_to"))) {
        return true;
      }
    }
    return false;
  }

  private PuppetEngine.Reply reply(String turn) {
    return replies.computeIfAbsent(turn, t -> puppet.expectReply());
  }

  /** The device frame as text, with this service's resume handle in place of the transcript's. */
  private String text(Map<String, Object> step) {
    if (step.get("frame_text") != null) {
      return (String) step.get("frame_text");
    }
    Map<String, Object> frame = new LinkedHashMap<>(frame(step));
    if (transcriptHandle != null && transcriptHandle.equals(frame.get("resume_handle"))) {
      frame.put("resume_handle", handle);
    }
    return Transcripts.JSON.writeValueAsString(frame);
  }

  private static Predicate<Map<String, Object>> isError(String inReplyTo) {
    return e -> "error".equals(e.get("type")) && Objects.equals(inReplyTo, e.get("in_reply_to"));
  }

  private static Predicate<Map<String, Object>> sameConnectionEvent(Map<String, Object> expected) {
    return e -> expected.get("type").equals(e.get("type"))
        && seq(e) == 0
        && (!expected.containsKey("in_reply_to") || Objects.equals(expected.get("in_reply_to"), e.get("in_reply_to")));
  }

  private static long seq(Map<String, Object> event) {
    return ((Number) event.get("seq")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> frame(Map<String, Object> step) {
    if (step.get("frame") != null) {
      return (Map<String, Object>) step.get("frame");
    }
    if (step.get("frame_text") != null) {
      return Transcripts.JSON.readValue((String) step.get("frame_text"), Map.class);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return new ArrayList<>((List<Map<String, Object>>) value);
  }

  private String name() {
    return Transcripts.name(transcript);
  }
}

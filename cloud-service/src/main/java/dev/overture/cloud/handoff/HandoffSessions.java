package dev.overture.cloud.handoff;

import dev.overture.cloud.admission.AdmissionControl;
import dev.overture.cloud.engine.ContinuationEngine;
import dev.overture.cloud.metrics.HandoffMetrics;
import dev.overture.cloud.verify.OpenerVerifier;
import dev.overture.protocol.ContinueRequest;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.ProtocolLimits;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.codec.JsonBindingException;
import dev.overture.protocol.session.CloudSession;
import dev.overture.protocol.jackson3.Jackson3Binding;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The handoff sessions of this server and what they share: the engine, the admission gate, the
 * verifier, the metrics and the pipeline threads. New sessions are created here; started ones are
 * found again by their resume handle (and only by the API key that started them).
 *
 * <p>Thread-safe.
 */
@Component
public final class HandoffSessions implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ContinuationEngine engine;
  private final AdmissionControl admission;
  private final OpenerVerifier verifier;
  private final HandoffMetrics metrics;
  private final HandoffProperties properties;
  private final EventCodec codec = new EventCodec(new Jackson3Binding());
  private final ExecutorService pipelineThreads;
  private final Map<String, HandoffSession> byHandle = new ConcurrentHashMap<>();
  /** {@code POST /v1/continue} exchanges still answering: they have no handle, but a drain ends them too. */
  private final Set<HandoffSession> oneShots = ConcurrentHashMap.newKeySet();

  public HandoffSessions(
      ContinuationEngine engine,
      AdmissionControl admission,
      OpenerVerifier verifier,
      HandoffMetrics metrics,
      HandoffProperties properties) {
    this.engine = engine;
    this.admission = admission;
    this.verifier = verifier;
    this.metrics = metrics;
    this.properties = properties;
    AtomicInteger number = new AtomicInteger();
    this.pipelineThreads =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            task -> {
              Thread thread = new Thread(task, "overture-handoff-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A new session for a new WebSocket connection; it registers itself once started. */
  HandoffSession newSession(String apiKeyId) {
    return new HandoffSession(
        this, "sess-" + HexFormat.of().formatHex(randomBytes(8)), resumeHandle(), apiKeyId,
        new CloudSession(codec), false);
  }

  /**
   * The session a connection's first frame asks to resume, if that frame is a {@code
   * session.resume} naming a live session of the same API key; otherwise null (a fresh session
   * then answers the frame, with {@code unknown_session} if it was a resume).
   */
  HandoffSession resumeTarget(byte[] firstFrame, String apiKeyId) {
    try {
      if (codec.decodeClient(firstFrame) instanceof SessionResume resume) {
        HandoffSession session = byHandle.get(resume.resumeHandle());
        return session != null && session.apiKeyId().equals(apiKeyId) ? session : null;
      }
    } catch (ProtocolException e) {
      // the fresh session reports it
    }
    return null;
  }

  /** Starts the session of one {@code POST /v1/continue} request, answering on {@code to}. */
  HandoffSession startOneShot(String apiKeyId, CloudSession protocol, ContinueRequest request, Connection to) {
    HandoffSession session =
        new HandoffSession(
            this, "once-" + HexFormat.of().formatHex(randomBytes(8)), "one-shot", apiKeyId, protocol, true);
    oneShots.add(session);
    session.startOneShot(to, request);
    return session;
  }

  void oneShotEnded(HandoffSession session) {
    oneShots.remove(session);
  }

  void register(HandoffSession session) {
    byHandle.put(session.resumeHandle(), session);
    metrics.sessionOpened();
  }

  void unregister(HandoffSession session) {
    if (byHandle.remove(session.resumeHandle(), session)) {
      metrics.sessionClosed();
    }
  }

  /** Started sessions not yet ended (resumable ones included). */
  public int open() {
    return byHandle.size();
  }

  /** Sends {@code session.go_away} on every connected session. */
  public void goAway(Duration timeLeft, String reason) {
    for (HandoffSession session : snapshot()) {
      session.goAway(timeLeft, reason);
    }
  }

  /**
   * Ends every session now, one-shot exchanges included: a one-shot turn still running fails with
   * {@code overloaded} ({@code why}), so its response ends with an error event and a failed done.
   */
  public void endAll(String why) {
    List<HandoffSession> all = snapshot();
    all.addAll(oneShots);
    for (HandoffSession session : all) {
      session.end(why);
    }
  }

  private List<HandoffSession> snapshot() {
    return new ArrayList<>(byHandle.values());
  }

  /** The top-level members of a frame as JSON, or null if it is not a JSON object. */
  Map<?, ?> peek(byte[] frame) {
    try {
      Object value = codec.binding().read(new String(frame, StandardCharsets.UTF_8), Object.class);
      return value instanceof Map<?, ?> members ? members : null;
    } catch (JsonBindingException | RuntimeException e) {
      return null;
    }
  }

  /** The reply length for a request asking for {@code requested} tokens (null: the default). */
  int maxTokens(Integer requested) {
    int cap = properties.maxOutputTokens();
    return requested == null ? cap : Math.min(requested, cap);
  }

  /** Whether the service is shutting down ({@link AdmissionControl#drain}). */
  boolean draining() {
    return admission.draining();
  }

  ContinuationEngine engine() {
    return engine;
  }

  AdmissionControl admission() {
    return admission;
  }

  OpenerVerifier verifier() {
    return verifier;
  }

  HandoffMetrics metrics() {
    return metrics;
  }

  /** The limits a session announces and enforces: the configured ones, within the model's window. */
  ProtocolLimits limits() {
    return properties.limits(engine.maxContextChars());
  }

  Duration rewindAckTimeout() {
    return properties.rewindAckTimeout();
  }

  Duration resumeWindow() {
    return properties.resumeWindow();
  }

  int outboundBufferFrames() {
    return properties.outboundBufferFrames();
  }

  ExecutorService pipelineThreads() {
    return pipelineThreads;
  }

  @Override
  public void close() {
    endAll("the service stopped");
    pipelineThreads.shutdown();
  }

  private static String resumeHandle() {
    return "rh-" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}

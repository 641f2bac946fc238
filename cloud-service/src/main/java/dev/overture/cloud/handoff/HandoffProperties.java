package dev.overture.cloud.handoff;

import dev.overture.protocol.ProtocolLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The handoff endpoints ({@code overture.handoff.*}): the protocol limits this server announces in
 * {@code session.started}, its timers, and its buffers.
 *
 * @param maxFrameBytes the largest frame a client may send; larger ones are refused before they
 *     are parsed ({@code frame_too_large}, fatal)
 * @param maxContextChars history plus user text, in characters
 * @param maxHistoryItems history messages
 * @param maxOpenerWords opener words per turn
 * @param maxWordChars characters per opener word
 * @param maxEventsPerSecond client events per second per connection (token bucket); more are
 *     answered with {@code rate_limited} and fail their turn
 * @param pingInterval how often an idle client pings, and how often the server sends WebSocket
 *     pings
 * @param idleTimeout a connection on which nothing arrived for this long (not even a WebSocket
 *     pong) is closed with a fatal {@code timeout} error, and its session ends
 * @param rewindAckTimeout how long the server waits for {@code opener.rewind_ack}
 * @param resumeWindow how long a dropped session stays resumable (its KV cache may be evicted
 *     meanwhile)
 * @param replayBufferEvents server events kept per session for replay after a resume
 * @param outboundBufferFrames frames queued for a client that is not reading; one more fails the
 *     session with a fatal {@code timeout} error instead of growing memory. A resume queues the
 *     replay and the events held meanwhile at once (up to {@code replayBufferEvents} each, plus
 *     {@code session.resumed} and a turn's end), so it must be at least twice {@code
 *     replayBufferEvents} plus 3
 * @param maxOutputTokens the reply length cap, and the default when a request names none
 */
@ConfigurationProperties("overture.handoff")
public record HandoffProperties(
    @DefaultValue("65536") int maxFrameBytes,
    @DefaultValue("16384") int maxContextChars,
    @DefaultValue("64") int maxHistoryItems,
    @DefaultValue("12") int maxOpenerWords,
    @DefaultValue("64") int maxWordChars,
    @DefaultValue("200") int maxEventsPerSecond,
    @DefaultValue("15s") Duration pingInterval,
    @DefaultValue("45s") Duration idleTimeout,
    @DefaultValue("1s") Duration rewindAckTimeout,
    @DefaultValue("60s") Duration resumeWindow,
    @DefaultValue("1024") int replayBufferEvents,
    @DefaultValue("2080") int outboundBufferFrames,
    @DefaultValue("256") int maxOutputTokens) {

  public HandoffProperties {
    if (maxFrameBytes < ProtocolLimits.MIN_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "overture.handoff.max-frame-bytes must be at least " + ProtocolLimits.MIN_FRAME_BYTES);
    }
    if (maxContextChars < 1 || maxHistoryItems < 1 || maxOpenerWords < 1 || maxWordChars < 1
        || maxEventsPerSecond < 1 || replayBufferEvents < 1 || outboundBufferFrames < 1
        || maxOutputTokens < 1) {
      throw new IllegalArgumentException("overture.handoff: every limit must be positive");
    }
    if (outboundBufferFrames < 2L * replayBufferEvents + 3) {
      throw new IllegalArgumentException("overture.handoff.outbound-buffer-frames (" + outboundBufferFrames
          + ") must hold a resume's replay and the events held meanwhile: at least 2 x replay-buffer-events + 3 = "
          + (2L * replayBufferEvents + 3));
    }
    for (Duration d : new Duration[] {pingInterval, idleTimeout, rewindAckTimeout, resumeWindow}) {
      if (d.toMillis() < 1) { // announced in whole milliseconds: 500us would be announced as 0
        throw new IllegalArgumentException("overture.handoff: every duration must be at least 1 ms, got " + d);
      }
      // session.started announces them in milliseconds, as 32-bit integers (at most 24.8 days)
      if (d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(
            "overture.handoff: every duration must be at most " + Integer.MAX_VALUE + " ms (24.8 days), got " + d);
      }
    }
  }

  /**
   * The one frame limit of the WebSocket transport: the largest frame a session can accept at any
   * point. Before {@code session.started} the protocol's default applies, after it ours, so this is
   * the larger of the two; the codec then applies the one in force. A larger frame is refused after
   * its header, before its payload is read, with {@code frame_too_large}.
   */
  public int acceptedFrameBytes() {
    return Math.max(maxFrameBytes, ProtocolLimits.defaults().maxFrameBytes());
  }

  /** The limits as configured. */
  public ProtocolLimits limits() {
    return limits(Integer.MAX_VALUE);
  }

  /**
   * The limits announced in {@code session.started}, with {@code max_context_chars} no larger than
   * {@code contextCharsCap}: what the loaded model's window holds ({@code
   * ContinuationEngine.maxContextChars}).
   */
  public ProtocolLimits limits(int contextCharsCap) {
    return new ProtocolLimits(
        maxFrameBytes,
        Math.min(maxContextChars, contextCharsCap),
        maxHistoryItems,
        maxOpenerWords,
        maxWordChars,
        maxEventsPerSecond,
        Math.toIntExact(pingInterval.toMillis()),
        Math.toIntExact(idleTimeout.toMillis()),
        Math.toIntExact(rewindAckTimeout.toMillis()),
        Math.toIntExact(resumeWindow.toMillis()),
        replayBufferEvents);
  }
}

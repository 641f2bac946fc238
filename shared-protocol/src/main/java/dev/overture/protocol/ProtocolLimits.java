package dev.overture.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The limits of a session. Both sides start with {@link #defaults()}; {@link SessionStarted}
 * carries the limits the server enforces from then on, and both sides' codecs adopt them. Text
 * lengths count Unicode code points.
 *
 * @param maxFrameBytes largest frame (or HTTP request body) in UTF-8 bytes, in either direction
 * @param maxContextChars largest history plus user text of one turn, and largest single partial
 * @param maxHistoryItems most items in one {@code context.history}
 * @param maxOpenerWords most opener words per turn
 * @param maxWordChars longest opener word text
 * @param maxEventsPerSecond most client events per second the server processes (sustained rate and
 *     burst of a token bucket)
 * @param pingIntervalMs how often an otherwise idle client sends {@code ping}
 * @param idleTimeoutMs the server closes a connection that received nothing for this long
 * @param rewindAckTimeoutMs how long the server waits for {@code opener.rewind_ack} before it fails
 *     the turn with {@code timeout}
 * @param resumeWindowMs how long the server keeps a dropped session resumable
 * @param replayBufferEvents how many recent numbered events each side keeps for replay
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProtocolLimits(
    @JsonProperty(value = "max_frame_bytes", required = true) int maxFrameBytes,
    @JsonProperty(value = "max_context_chars", required = true) int maxContextChars,
    @JsonProperty(value = "max_history_items", required = true) int maxHistoryItems,
    @JsonProperty(value = "max_opener_words", required = true) int maxOpenerWords,
    @JsonProperty(value = "max_word_chars", required = true) int maxWordChars,
    @JsonProperty(value = "max_events_per_second", required = true) int maxEventsPerSecond,
    @JsonProperty(value = "ping_interval_ms", required = true) int pingIntervalMs,
    @JsonProperty(value = "idle_timeout_ms", required = true) int idleTimeoutMs,
    @JsonProperty(value = "rewind_ack_timeout_ms", required = true) int rewindAckTimeoutMs,
    @JsonProperty(value = "resume_window_ms", required = true) int resumeWindowMs,
    @JsonProperty(value = "replay_buffer_events", required = true) int replayBufferEvents) {

  /** The smallest {@code max_frame_bytes} a server may announce. */
  public static final int MIN_FRAME_BYTES = 4096;

  private static final ProtocolLimits DEFAULTS =
      new ProtocolLimits(65_536, 16_384, 64, 12, 64, 200, 15_000, 45_000, 1_000, 60_000, 1_024);

  /** The limits in force before {@code session.started} and for the one-shot HTTP binding. */
  public static ProtocolLimits defaults() {
    return DEFAULTS;
  }
}

package dev.overture.replay.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One conversation of a trace: one line of a trace file.
 *
 * @param format always {@link TraceFile#FORMAT}
 * @param id unique within the trace
 * @param arrivalSeconds when the conversation starts, from the start of the trace (used by the
 *     {@code trace} load; the other loads choose their own times)
 * @param source where it came from ({@code heldout}, {@code azure:ROW}, {@code sharegpt:ID}), or null
 * @param turns at least one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceConversation(
    @JsonProperty("format") String format,
    @JsonProperty("id") String id,
    @JsonProperty("arrival_s") double arrivalSeconds,
    @JsonProperty("source") String source,
    @JsonProperty("turns") List<TraceTurn> turns) {

  public TraceConversation {
    turns = turns == null ? List.of() : List.copyOf(turns);
  }

  public static TraceConversation of(String id, double arrivalSeconds, String source, List<TraceTurn> turns) {
    return new TraceConversation(TraceFile.FORMAT, id, arrivalSeconds, source, turns);
  }
}

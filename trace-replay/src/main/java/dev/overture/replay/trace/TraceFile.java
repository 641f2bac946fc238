package dev.overture.replay.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes traces: JSON Lines, one {@link TraceConversation} per line (docs/latency-testing.md
 * has the format). Reading checks every rule and names the line at fault.
 */
public final class TraceFile {

  /** The {@code format} member of every line. */
  public static final String FORMAT = "overture-trace/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // two objects on one line: refused, not half-read
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private TraceFile() {}

  public static List<TraceConversation> read(Path file) throws IOException {
    List<TraceConversation> conversations = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    double lastArrival = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line; (line = in.readLine()) != null; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String where = file + ":" + number;
        TraceConversation conversation;
        try {
          conversation = JSON.readValue(line, TraceConversation.class);
        } catch (JsonProcessingException e) {
          throw new TraceFormatException(where + ": not a trace conversation: " + e.getOriginalMessage());
        }
        if (conversation == null) {
          throw new TraceFormatException(where + ": not a trace conversation: null");
        }
        check(conversation, where);
        // The replay takes the first line as the time origin of the arrivals.
        require(conversation.arrivalSeconds() >= lastArrival, where, "lines must be in arrival order (arrival_s "
            + conversation.arrivalSeconds() + " after " + lastArrival + ")");
        lastArrival = conversation.arrivalSeconds();
        if (!ids.add(conversation.id())) {
          throw new TraceFormatException(where + ": conversation id '" + conversation.id() + "' appears twice");
        }
        conversations.add(conversation);
      }
    }
    if (conversations.isEmpty()) {
      throw new TraceFormatException(file + ": no conversations");
    }
    return conversations;
  }

  public static void write(Path file, List<TraceConversation> conversations) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (TraceConversation conversation : conversations) {
        out.write(JSON.writeValueAsString(conversation));
        out.write('\n');
      }
    }
  }

  static void check(TraceConversation c, String where) throws TraceFormatException {
    if (!FORMAT.equals(c.format())) {
      throw new TraceFormatException(where + ": format must be \"" + FORMAT + "\", got " + (c.format() == null ? "none" : "\"" + c.format() + "\""));
    }
    require(c.id() != null && !c.id().isBlank(), where, "id is missing");
    require(c.arrivalSeconds() >= 0, where, "arrival_s must be >= 0");
    require(!c.turns().isEmpty(), where, "a conversation needs at least one turn");
    for (int i = 0; i < c.turns().size(); i++) {
      TraceTurn t = c.turns().get(i);
      String turn = where + ": turn " + i;
      require(t.user() != null && !t.user().isBlank(), turn, "user text is missing");
      require(t.thinkSeconds() >= 0 && t.speechSeconds() >= 0 && t.endpointSeconds() >= 0, turn, "think_s, speech_s and endpoint_s must be >= 0");
      require(t.bargeInAfterWords() == null || t.bargeInAfterWords() >= 0, turn, "barge_in_after_words must be >= 0");
      double last = -1;
      for (Partial p : t.partials()) {
        require(p.text() != null, turn, "a partial has no text");
        require(p.atSeconds() >= last, turn, "partials must be in time order");
        require(p.atSeconds() <= t.speechSeconds() + t.endpointSeconds(), turn, "a partial comes after the final transcript");
        last = p.atSeconds();
      }
    }
  }

  private static void require(boolean ok, String where, String rule) throws TraceFormatException {
    if (!ok) {
      throw new TraceFormatException(where + ": " + rule);
    }
  }
}

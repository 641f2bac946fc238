package dev.overture.replay.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.replay.sample.SpeechTiming;
import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceFormatException;
import dev.overture.replay.trace.TraceTurn;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps public trace formats onto conversations. Arrival processes carry no text: their rows
 * become one-question conversations at the recorded times, with questions taken in turn from a
 * pool (a trace's users), and the recorded token counts kept in {@code source}. Conversation text
 * comes from ShareGPT-style JSON, with the sample traces' speech timing.
 */
public final class TraceImport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AZURE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .toFormatter();

  private TraceImport() {}

  /**
   * The Azure LLM inference trace CSV ({@code TIMESTAMP,ContextTokens,GeneratedTokens}, the
   * timestamp as {@code 2023-11-16 18:15:46.6805900}).
   */
  public static List<TraceConversation> azure(Path csv, List<String> questions, int limit, long seed) throws IOException {
    List<TraceConversation> out = new ArrayList<>();
    SpeechTiming timing = new SpeechTiming(seed);
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.replace(" ", "").equalsIgnoreCase("TIMESTAMP,ContextTokens,GeneratedTokens")) {
        throw new TraceFormatException(csv + ":1: expected the header TIMESTAMP,ContextTokens,GeneratedTokens, got " + header);
      }
      LocalDateTime first = null;
      int number = 1;
      for (String line; (line = in.readLine()) != null && out.size() < limit; ) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        if (cells.length != 3) {
          throw new TraceFormatException(csv + ":" + number + ": expected 3 columns, got " + cells.length);
        }
        LocalDateTime at;
        try {
          at = LocalDateTime.parse(cells[0].trim(), AZURE_TIME);
        } catch (DateTimeParseException e) {
          throw new TraceFormatException(csv + ":" + number + ": TIMESTAMP '" + cells[0] + "' is not yyyy-MM-dd HH:mm:ss[.fraction]");
        }
        first = first == null ? at : first;
        double seconds = first.until(at, ChronoUnit.NANOS) / 1e9;
        out.add(row("azure", number, seconds, integer(cells[1], csv, number, "ContextTokens"), integer(cells[2], csv, number, "GeneratedTokens"),
            questions, timing, out.size()));
      }
    }
    return requireSome(out, csv);
  }

  /** Mooncake JSONL ({@code {"timestamp": ms, "input_length": n, "output_length": n, ...}} per line). */
  public static List<TraceConversation> mooncake(Path jsonl, List<String> questions, int limit, long seed) throws IOException {
    List<TraceConversation> out = new ArrayList<>();
    SpeechTiming timing = new SpeechTiming(seed);
    int number = 0;
    Double first = null;
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank() || out.size() >= limit) {
        continue;
      }
      JsonNode row = parse(line, jsonl, number);
      for (String field : List.of("timestamp", "input_length", "output_length")) {
        if (!row.path(field).isNumber()) {
          throw new TraceFormatException(jsonl + ":" + number + ": '" + field + "' must be a number");
        }
      }
      double ms = row.path("timestamp").asDouble();
      first = first == null ? ms : first;
      out.add(row("mooncake", number, (ms - first) / 1000, row.path("input_length").asLong(), row.path("output_length").asLong(),
          questions, timing, out.size()));
    }
    return requireSome(out, jsonl);
  }

  /**
   * ShareGPT-style JSON: an array of {@code {"id", "conversations": [{"from": "human"|"gpt", "value"}]}};
   * each human message is a turn whose gold answer is the reply after it. Conversations arrive as
   * a Poisson process at {@code perSecond}.
   */
  public static List<TraceConversation> shareGpt(Path json, int limit, double perSecond, long seed) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json.toFile());
    } catch (JsonProcessingException e) {
      throw new TraceFormatException(json + ": not JSON: " + e.getOriginalMessage());
    }
    if (!root.isArray()) {
      throw new TraceFormatException(json + ": expected an array of conversations");
    }
    SpeechTiming timing = new SpeechTiming(seed);
    List<TraceConversation> out = new ArrayList<>();
    double arrival = 0;
    for (int i = 0; i < root.size() && out.size() < limit; i++) {
      JsonNode messages = root.get(i).path("conversations");
      if (!messages.isArray()) {
        throw new TraceFormatException(json + ": conversation " + i + " has no 'conversations' array");
      }
      List<TraceTurn> turns = new ArrayList<>();
      for (int m = 0; m < messages.size(); m++) {
        JsonNode message = messages.get(m);
        if ("human".equals(message.path("from").asText()) && !message.path("value").asText().isBlank()) {
          JsonNode next = m + 1 < messages.size() ? messages.get(m + 1) : null;
          String gold = next != null && "gpt".equals(next.path("from").asText()) ? next.path("value").asText() : null;
          turns.add(timing.turn(message.path("value").asText(), gold, null));
        }
      }
      if (!turns.isEmpty()) {
        String id = root.get(i).path("id").asText("sharegpt-" + i);
        out.add(TraceConversation.of("sharegpt-" + out.size() + "-" + id.replaceAll("[^A-Za-z0-9_.-]", ""), round(arrival), "sharegpt:" + id, turns));
        arrival += timing.arrivalGap(perSecond);
      }
    }
    return requireSome(out, json);
  }

  private static TraceConversation row(String format, int number, double seconds, long input, long output, List<String> questions,
      SpeechTiming timing, int index) {
    String question = questions.get(index % questions.size());
    return TraceConversation.of(format + "-" + number, round(seconds), format + ":" + number + " input_tokens=" + input + " output_tokens=" + output,
        List.of(timing.turn(question, null, null)));
  }

  private static long integer(String cell, Path file, int line, String column) throws TraceFormatException {
    try {
      return Long.parseLong(cell.trim());
    } catch (NumberFormatException e) {
      throw new TraceFormatException(file + ":" + line + ": " + column + " '" + cell + "' is not a whole number");
    }
  }

  private static JsonNode parse(String line, Path file, int number) throws TraceFormatException {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new TraceFormatException(file + ":" + number + ": not JSON: " + e.getOriginalMessage());
    }
  }

  private static List<TraceConversation> requireSome(List<TraceConversation> out, Path file) throws TraceFormatException {
    if (out.isEmpty()) {
      throw new TraceFormatException(file + ": no rows to import");
    }
    return out;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}

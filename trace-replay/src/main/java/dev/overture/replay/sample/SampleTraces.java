package dev.overture.replay.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceFormatException;
import dev.overture.replay.trace.TraceTurn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Builds the repository's sample traces from the held-out evaluation questions of the bundled
 * models (training/out/corpus, made by training/setup.sh): questions about words both models were
 * taught, words only the cloud model was taught, and words neither was, each with its gold gloss
 * for the quality score.
 */
public final class SampleTraces {

  /** The micro model was taught the synsets of familiarity rank below this (decision D23). */
  static final int MICRO_SYNSETS = 500;

  private record Question(String user, String gold, String set) {}

  private SampleTraces() {}

  /**
   * One question per conversation: {@code perSet} from each held-out set, arriving as a Poisson
   * process at 0.2 per second.
   */
  public static List<TraceConversation> questions(Path corpus, int perSet, long seed) throws IOException {
    SpeechTiming timing = new SpeechTiming(seed);
    List<Question> pool = pool(corpus, perSet, seed);
    List<TraceConversation> conversations = new ArrayList<>();
    double arrival = 0;
    for (int i = 0; i < pool.size(); i++) {
      Question q = pool.get(i);
      conversations.add(TraceConversation.of(String.format("q%03d", i + 1), round(arrival), "heldout:" + q.set,
          List.of(timing.turn(q.user, q.gold, null))));
      arrival += timing.arrivalGap(0.2);
    }
    return conversations;
  }

  /**
   * Sessions of {@code turnsPer} questions each, with think times; one later turn in six the user
   * interrupts after 3 to 8 words.
   */
  public static List<TraceConversation> sessions(Path corpus, int sessions, int turnsPer, long seed) throws IOException {
    SpeechTiming timing = new SpeechTiming(seed + 1);
    List<Question> pool = pool(corpus, (sessions * turnsPer + 2) / 3 + 1, seed + 1);
    List<TraceConversation> conversations = new ArrayList<>();
    double arrival = 0;
    int next = 0;
    for (int s = 0; s < sessions && next < pool.size(); s++) {
      List<TraceTurn> turns = new ArrayList<>();
      for (int t = 0; t < turnsPer && next < pool.size(); t++) {
        Question q = pool.get(next++);
        Integer bargeIn = t > 0 && timing.uniform() < 1.0 / 6 ? timing.between(3, 8) : null;
        turns.add(timing.turn(q.user, q.gold, bargeIn));
      }
      conversations.add(TraceConversation.of(String.format("s%03d", s + 1), round(arrival), "heldout:sessions", turns));
      arrival += timing.arrivalGap(0.1);
    }
    return conversations;
  }

  private static List<Question> pool(Path corpus, int perSet, long seed) throws IOException {
    List<Question> both = new ArrayList<>();
    List<Question> cloudOnly = new ArrayList<>();
    List<Question> neither = new ArrayList<>();
    for (JsonNode row : rows(corpus.resolve("eval_knowledge.jsonl"))) {
      Question q = new Question(row.path("user").asText(), row.path("gold").asText(), row.path("rank").asInt() < MICRO_SYNSETS ? "both" : "cloud-only");
      (q.set.equals("both") ? both : cloudOnly).add(q);
    }
    for (JsonNode row : rows(corpus.resolve("eval_unseen.jsonl"))) {
      neither.add(new Question(row.path("user").asText(), row.path("gold").asText(), "neither"));
    }
    Random random = new Random(seed);
    List<Question> pool = new ArrayList<>();
    for (List<Question> set : List.of(both, cloudOnly, neither)) {
      Collections.shuffle(set, random);
      pool.addAll(set.subList(0, Math.min(perSet, set.size())));
    }
    Collections.shuffle(pool, random);
    return pool;
  }

  private static List<JsonNode> rows(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new TraceFormatException(file + " is missing: run training/setup.sh first (it builds the held-out sets)");
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(json.readTree(line));
      }
    }
    return rows;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}

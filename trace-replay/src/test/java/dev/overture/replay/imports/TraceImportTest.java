package dev.overture.replay.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.replay.trace.TraceConversation;
import dev.overture.replay.trace.TraceFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceImportTest {

  @TempDir Path dir;
  static final List<String> QUESTIONS = List.of("What is a city?", "What is a dog?");

  @Test
  void azureRowsBecomeArrivalsWithTheirTokenCounts() throws Exception {
    Path csv = dir.resolve("azure.csv");
    Files.writeString(csv, "TIMESTAMP,ContextTokens,GeneratedTokens\n"
        + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:15:51,879,20\n");

    List<TraceConversation> trace = TraceImport.azure(csv, QUESTIONS, 10, 1);

    assertEquals(3, trace.size());
    assertEquals(0.0, trace.get(0).arrivalSeconds());
    assertEquals(4.315, trace.get(1).arrivalSeconds(), 0.001);
    assertEquals("What is a dog?", trace.get(1).turns().get(0).user());
    assertTrue(trace.get(2).source().contains("input_tokens=879"), trace.get(2).source());
  }

  @Test
  void azureWithoutItsHeaderIsRejected() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "time,a,b\n1,2,3\n");
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceImport.azure(csv, QUESTIONS, 10, 1));
    assertTrue(e.getMessage().contains("TIMESTAMP,ContextTokens,GeneratedTokens"), e.getMessage());
  }

  @Test
  void mooncakeTimestampsAreMilliseconds() throws Exception {
    Path jsonl = dir.resolve("mooncake.jsonl");
    Files.writeString(jsonl, "{\"timestamp\": 27482, \"input_length\": 6955, \"output_length\": 52, \"hash_ids\": [1, 2]}\n"
        + "{\"timestamp\": 30535, \"input_length\": 6472, \"output_length\": 26, \"hash_ids\": [3]}\n");

    List<TraceConversation> trace = TraceImport.mooncake(jsonl, QUESTIONS, 10, 1);

    assertEquals(2, trace.size());
    assertEquals(3.053, trace.get(1).arrivalSeconds(), 0.001);
  }

  @Test
  void mooncakeRowWithoutTimestampNamesTheLine() throws Exception {
    Path jsonl = dir.resolve("bad.jsonl");
    Files.writeString(jsonl, "{\"input_length\": 1, \"output_length\": 2}\n");
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceImport.mooncake(jsonl, QUESTIONS, 10, 1));
    assertTrue(e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains("timestamp"), e.getMessage());
  }

  @Test
  void shareGptHumanMessagesBecomeTurnsWithTheReplyAsGold() throws Exception {
    Path json = dir.resolve("sharegpt.json");
    Files.writeString(json, "[{\"id\":\"abc\",\"conversations\":[{\"from\":\"human\",\"value\":\"What is a sloop?\"},"
        + "{\"from\":\"gpt\",\"value\":\"A sailing boat with one mast.\"},{\"from\":\"human\",\"value\":\"And a ketch?\"}]},"
        + "{\"id\":\"empty\",\"conversations\":[]}]");

    List<TraceConversation> trace = TraceImport.shareGpt(json, 10, 0.2, 1);

    assertEquals(1, trace.size());
    assertEquals(2, trace.get(0).turns().size());
    assertEquals("A sailing boat with one mast.", trace.get(0).turns().get(0).gold());
    assertEquals(null, trace.get(0).turns().get(1).gold());
    assertEquals("And a ketch?", trace.get(0).turns().get(1).partials().get(trace.get(0).turns().get(1).partials().size() - 1).text());
  }
}

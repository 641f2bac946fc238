package dev.overture.replay.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileTest {

  @TempDir Path dir;

  static TraceTurn turn(String user) {
    return new TraceTurn(user, "a gold answer", 0.5, 1.2, 0.3, List.of(new Partial(0.4, "What"), new Partial(1.0, user)), null);
  }

  @Test
  void writtenTraceReadsBackEqual() throws Exception {
    List<TraceConversation> trace = List.of(
        TraceConversation.of("c1", 0, "test", List.of(turn("What is a city?"))),
        TraceConversation.of("c2", 2.5, null, List.of(turn("What is a dog?"), new TraceTurn("And a cat?", null, 1, 1, 0.2, List.of(), 4))));
    Path file = dir.resolve("t.jsonl");

    TraceFile.write(file, trace);

    assertEquals(trace, TraceFile.read(file));
  }

  private TraceFormatException readBad(String line) throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
    return assertThrows(TraceFormatException.class, () -> TraceFile.read(file));
  }

  @Test
  void wrongFormatIsNamedWithItsLine() throws Exception {
    TraceFormatException e = readBad("{\"format\":\"other/2\",\"id\":\"c1\",\"arrival_s\":0,\"turns\":[{\"user\":\"hi\",\"think_s\":0,\"speech_s\":1,\"endpoint_s\":0}]}");
    assertTrue(e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains("format must be"), e.getMessage());
  }

  @Test
  void conversationWithoutTurnsIsRejected() throws Exception {
    TraceFormatException e = readBad("{\"format\":\"overture-trace/1\",\"id\":\"c1\",\"arrival_s\":0,\"turns\":[]}");
    assertTrue(e.getMessage().contains("at least one turn"), e.getMessage());
  }

  @Test
  void partialsOutOfOrderAreRejected() throws Exception {
    TraceFormatException e = readBad("{\"format\":\"overture-trace/1\",\"id\":\"c1\",\"arrival_s\":0,\"turns\":[{\"user\":\"hi there\",\"think_s\":0,"
        + "\"speech_s\":1,\"endpoint_s\":0,\"partials\":[{\"at_s\":0.8,\"text\":\"hi\"},{\"at_s\":0.2,\"text\":\"hi there\"}]}]}");
    assertTrue(e.getMessage().contains("time order"), e.getMessage());
  }

  @Test
  void notJsonIsATypedError() throws Exception {
    TraceFormatException e = readBad("{not json");
    assertTrue(e.getMessage().contains("not a trace conversation"), e.getMessage());
  }

  @Test
  void aNullLineIsATypedErrorWithItsLine() throws Exception {
    TraceFormatException e = readBad("null");
    assertTrue(e.getMessage().contains("bad.jsonl:1") && e.getMessage().contains("not a trace conversation"), e.getMessage());
  }

  @Test
  void twoObjectsOnOneLineAreRejected() throws Exception {
    String one = "{\"format\":\"overture-trace/1\",\"id\":\"c1\",\"arrival_s\":0,\"turns\":[{\"user\":\"hi\",\"think_s\":0,\"speech_s\":1,\"endpoint_s\":0}]}";
    TraceFormatException e = readBad(one + one.replace("c1", "c2"));
    assertTrue(e.getMessage().contains("not a trace conversation"), e.getMessage());
  }

  @Test
  void linesOutOfArrivalOrderAreRejected() throws Exception {
    Path file = dir.resolve("order.jsonl");
    TraceFile.write(file, List.of(TraceConversation.of("c1", 10, null, List.of(turn("a b"))), TraceConversation.of("c2", 5, null, List.of(turn("c d")))));
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFile.read(file));
    assertTrue(e.getMessage().contains("order.jsonl:2") && e.getMessage().contains("arrival order"), e.getMessage());
  }

  @Test
  void duplicateIdsAreRejected() throws Exception {
    Path file = dir.resolve("dup.jsonl");
    TraceFile.write(file, List.of(TraceConversation.of("c1", 0, null, List.of(turn("a b"))), TraceConversation.of("c1", 1, null, List.of(turn("c d")))));
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFile.read(file));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }
}

package dev.overture.protocol.jackson3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.protocol.conformance.ConformanceCase;
import dev.overture.protocol.conformance.ConformanceSuite;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every conformance vector and transcript, decoded and encoded through Jackson 3. */
class Jackson3ConformanceTest {

  private final List<ConformanceCase> cases = new ConformanceSuite(new Jackson3Binding()).cases();

  @TestFactory
  Stream<DynamicTest> conformanceCases() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), c::run));
  }

  @Test
  void suiteCoversEveryTranscriptTheSpecificationNames() {
    for (String transcript :
        new String[] {"happy-path", "rewind", "repair", "barge-in", "timeout", "resume"}) {
      assertTrue(
          cases.stream().anyMatch(c -> c.name().equals("transcript: " + transcript)), transcript);
    }
  }
}

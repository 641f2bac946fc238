package dev.overture.protocol.jackson2;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.overture.protocol.conformance.ConformanceSuite;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes frame decoding through Jackson 2: whatever the bytes, the codec and both sides' state
 * machines give an event or a typed {@code ProtocolException}, and decoded events round-trip. The
 * build fuzzes for a bounded time ({@code JAZZER_FUZZ}, see the pom); without it only the seeds
 * run.
 */
class Jackson2FrameFuzzTest {

  private static final ConformanceSuite SUITE = new ConformanceSuite(new Jackson2Binding());

  /** Seeds the fuzzer's corpus (Jazzer's {@code .cifuzz-corpus} layout) with every conformance frame. */
  @BeforeAll
  static void seedCorpusWithConformanceFrames() throws Exception {
    SUITE.writeSeedCorpus(
        Paths.get(
            ".cifuzz-corpus",
            Jackson2FrameFuzzTest.class.getName(),
            "anyBytesGiveAnEventOrATypedError"));
  }

  @FuzzTest(maxDuration = "10s")
  @DictionaryFile(resourcePath = "/dev/overture/protocol/conformance/frames.dict")
  void anyBytesGiveAnEventOrATypedError(byte[] frame) throws Exception {
    SUITE.checkArbitraryFrame(frame);
  }
}

package dev.overture.cloud.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overture.cloud.engine.ContinuationChunk;
import dev.overture.cloud.engine.ContinuationRequest;
import dev.overture.cloud.engine.ConversationContext;
import dev.overture.cloud.engine.EngineConversation;
import dev.overture.cloud.testing.SyntheticModels;
import dev.overture.lm.offload.OffloadStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overture.embedded.offload}: the engine on a tiny MoE with only some experts resident. */
class EmbeddedEngineOffloadTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ConversationContext CONTEXT = new ConversationContext(List.of(), "do you like music");

  @TempDir static Path directory;
  static Path model;

  @BeforeAll
  static void writeModel() {
    model = SyntheticModels.write(directory);
  }

  static EmbeddedProperties with(EmbeddedProperties.Offload offload) {
    EmbeddedProperties p = SyntheticModels.greedy(model, 2);
    return new EmbeddedProperties(p.modelPath(), p.modelId(), p.threads(), p.threadsPerSession(), p.contextLength(), p.batchSize(),
        p.maxSessions(), p.systemPrompt(), p.sampling(), offload);
  }

  static String reply(EmbeddedEngine engine) {
    try (EngineConversation conversation = engine.open("c1")) {
      StringBuilder text = new StringBuilder();
      for (ContinuationChunk chunk : conversation.continueReply(new ContinuationRequest(CONTEXT, "I", 12)).collectList().block(WAIT)) {
        text.append(chunk.text());
      }
      return text.toString();
    }
  }

  @Test
  void offloadedExpertsGiveTheSameReplyAndAreCounted() throws Exception {
    String resident;
    try (EmbeddedEngine engine = EmbeddedEngine.load(SyntheticModels.greedy(model, 2))) {
      resident = reply(engine);
      assertThat(engine.offloadStats()).as("nothing offloaded").isNull();
    }
    try (EmbeddedEngine engine = EmbeddedEngine.load(with(new EmbeddedProperties.Offload("1/layer", "uniform", "lfu", true, "exact", 0, true, "none", 4)))) {
      assertThat(reply(engine)).isEqualTo(resident);
      OffloadStats stats = engine.offloadStats();
      assertThat(stats.loads()).isPositive();
      assertThat(stats.requests()).isPositive();
      assertThat(stats.hits() + stats.prefetchLate()).isLessThan(stats.requests()); // one expert per layer cannot serve top-2
      assertThat(stats.prefetches()).as("prefetch was on").isPositive();
      assertThat(engine.expertSwitchRate()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void stickyRoutingLowersTheSwitchRate() throws Exception {
    double exact;
    try (EmbeddedEngine engine = EmbeddedEngine.load(with(new EmbeddedProperties.Offload("50%", "uniform", "lru", false, "exact", 0, false, "none", 4)))) {
      reply(engine);
      exact = engine.expertSwitchRate();
    }
    try (EmbeddedEngine engine = EmbeddedEngine.load(with(new EmbeddedProperties.Offload("50%", "uniform", "lru", false, "sticky", 1.0, false, "none", 4)))) {
      reply(engine);
      assertThat(engine.expertSwitchRate()).as("a switch cost of 1 never switches").isZero();
      assertThat(exact).isPositive();
    }
  }

  @Test
  void unknownKnobsAreRejectedByName() {
    assertThatThrownBy(() -> new EmbeddedProperties.Offload("25%", "deep-first", "lru", false, "exact", 0, false, "none", 4))
        .hasMessageContaining("allocation must be uniform or shallow-first");
    assertThatThrownBy(() -> new EmbeddedProperties.Offload("25%", "uniform", "mru", false, "exact", 0, false, "none", 4))
        .hasMessageContaining("replacement must be lru or lfu");
    assertThatThrownBy(() -> new EmbeddedProperties.Offload("lots", "uniform", "lru", false, "exact", 0, false, "none", 4))
        .hasMessageContaining("25%");
    assertThatThrownBy(() -> new EmbeddedProperties.Offload("25%", "uniform", "lru", false, "exact", 0, false, "none", -1))
        .hasMessageContaining("loaders must be 0 or more");
  }
}

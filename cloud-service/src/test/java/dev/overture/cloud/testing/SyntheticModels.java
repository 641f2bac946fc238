package dev.overture.cloud.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.cloud.embedded.EmbeddedEngine;
import dev.overture.cloud.embedded.EmbeddedProperties;
import dev.overture.lm.gguf.GgmlType;
import dev.overture.lm.synthetic.ModelShape;
import dev.overture.lm.synthetic.SyntheticModelWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Tiny random-weight MoE models (ChatML, SentencePiece vocabulary) for engine tests. */
public final class SyntheticModels {

  /** 64 wide, 2 layers, 4 experts top-2, 512 tokens, context 256. */
  public static final ModelShape TINY_MOE = new ModelShape("llama", 64, 2, 4, 2, 64, 512, 4, 2, true, 256);

  private SyntheticModels() {}

  /** Writes the tiny model into {@code directory} and returns its path. */
  public static Path write(Path directory) {
    Path file = directory.resolve("tiny-moe.gguf");
    try {
      new SyntheticModelWriter(TINY_MOE, GgmlType.F32, 7).write(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Waits (up to 20 s) until {@code engine}, which loads in the background, has its model. */
  public static void awaitLoaded(EmbeddedEngine engine) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!engine.ready() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(engine.ready()).as("model loaded").isTrue();
  }

  /** Greedy decoding, two engine threads, {@code maxSessions} KV caches of 256 tokens. */
  public static EmbeddedProperties greedy(Path model, int maxSessions) {
    return new EmbeddedProperties(
        model, "", 2, 1, 256, 32, maxSessions, "",
        new EmbeddedProperties.Sampling(0f, 0, 1f, 0f, 1f, 0, 1L), EmbeddedProperties.Offload.none());
  }
}

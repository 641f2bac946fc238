package dev.overture.replay.run;

import dev.overture.device.AgentListener;
import dev.overture.device.TurnResult;
import java.util.concurrent.CompletableFuture;

/**
 * What a replay talks to: a device agent in one of its modes, or the OpenAI-compatible baseline.
 * One assistant stands for one simulated device; its conversations run one at a time.
 */
interface Assistant extends AutoCloseable {

  /** {@code split}, {@code cloud-only}, {@code device-only} or {@code openai}. */
  String mode();

  Session open(AgentListener listener);

  /** One conversation. */
  interface Session extends AutoCloseable {
    void partial(String text);

    CompletableFuture<TurnResult> finalText(String text);

    void heard(int words);

    CompletableFuture<Void> cancel();

    @Override
    void close();
  }

  @Override
  void close() throws Exception;
}

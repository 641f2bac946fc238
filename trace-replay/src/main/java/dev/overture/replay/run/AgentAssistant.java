package dev.overture.replay.run;

import dev.overture.device.AgentListener;
import dev.overture.device.AgentMode;
import dev.overture.device.Conversation;
import dev.overture.device.OvertureAgent;
import dev.overture.device.TurnResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** A device agent on the micro model, in one of its modes, talking to the service through the proxy. */
final class AgentAssistant implements Assistant {

  private final OvertureAgent agent;
  private final String mode;

  AgentAssistant(Path micro, AgentMode mode, String cloudUrl, String apiKey, double speechRate) throws IOException {
    OvertureAgent.Builder builder = OvertureAgent.builder().microModel(micro).mode(mode).speechRate(speechRate).client("overture-replay", "0.1.0");
    if (mode != AgentMode.DEVICE_ONLY) {
      builder.cloud(cloudUrl, apiKey);
    }
    this.agent = builder.build();
    this.mode = mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public String mode() {
    return mode;
  }

  @Override
  public Session open(AgentListener listener) {
    Conversation conversation = agent.newConversation(listener);
    return new Session() {
      @Override
      public void partial(String text) {
        conversation.partialTranscript(text);
      }

      @Override
      public CompletableFuture<TurnResult> finalText(String text) {
        return conversation.finalTranscript(text);
      }

      @Override
      public void heard(int words) {
        conversation.playbackProgress(words);
      }

      @Override
      public CompletableFuture<Void> cancel() {
        return conversation.cancel();
      }

      @Override
      public void close() {
        conversation.close();
      }
    };
  }

  @Override
  public void close() throws IOException {
    agent.close();
  }
}

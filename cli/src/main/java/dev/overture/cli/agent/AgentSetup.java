package dev.overture.cli.agent;

import dev.overture.device.AgentListener;
import dev.overture.device.AgentMode;
import dev.overture.device.Conversation;
import dev.overture.device.OvertureAgent;
import dev.overture.device.TurnResult;
import dev.overture.device.opener.OpenerPolicy;
import dev.overture.device.playback.SimulatedSpeaker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent wired for a command: the micro model, the cloud behind a {@link DelayedLink}, a
 * conversation, a {@link SimulatedSpeaker} standing in for TTS, and a simulated recognizer that
 * turns typed text into partial transcripts word by word.
 */
public final class AgentSetup implements AutoCloseable {

  private final OvertureAgent agent;
  private Conversation conversation;
  private final SimulatedSpeaker speaker;
  private final TurnRecorder recorder;
  private final double userWordsPerSecond;

  public AgentSetup(Path micro, String cloudUrl, String apiKey, AgentMode mode, double speechRate, double userWordsPerSecond,
      Duration grace, OpenerPolicy policy, TurnRecorder recorder) throws IOException {
    OvertureAgent.Builder builder = OvertureAgent.builder()
        .microModel(micro)
        .mode(mode)
        .speechRate(speechRate)
        .fallbackGrace(grace)
        .openerPolicy(policy)
        .client("overture-cli", "0.1.0");
    if (cloudUrl != null) {
      builder.cloud(cloudUrl, apiKey);
    }
    this.agent = builder.build();
    this.recorder = recorder;
    this.speaker = new SimulatedSpeaker(speechRate, recorder);
    this.conversation = agent.newConversation(speaker);
    speaker.attach(conversation);
    this.userWordsPerSecond = userWordsPerSecond;
  }

  public Conversation conversation() {
    return conversation;
  }

  /** Closes the conversation and opens a new one with an empty history. */
  public void newConversation() throws InterruptedException {
    speaker.awaitSilence(60_000);
    conversation.close();
    conversation = agent.newConversation(speaker);
    speaker.attach(conversation);
  }

  /**
   * One turn through a throwaway conversation, so that the JIT has compiled the model code on both
   * sides before the first turn that is shown or measured.
   */
  public void warmUp(String question) throws Exception {
    Conversation scratch = agent.newConversation(new AgentListener() {});
    try {
      scratch.partialTranscript(question);
      scratch.finalTranscript(question).get(60, TimeUnit.SECONDS);
    } finally {
      scratch.close();
    }
  }

  public SimulatedSpeaker speaker() {
    return speaker;
  }

  /**
   * Says {@code text} as a user would: one partial per word at the user's rate, then the final
   * transcript; returns the turn's result once the reply is complete and has been spoken.
   *
   * @param bargeInAfterWords interrupt the reply after this many words were heard (-1: never)
   */
  public TurnResult say(String text, int bargeInAfterWords) throws Exception {
    speaker.awaitSilence(60_000);
    speaker.newTurn();
    recorder.newTurn();
    long wordMillis = (long) (1000 / userWordsPerSecond);
    CompletableFuture<TurnResult> result = speak(conversation, text, wordMillis, wordMillis);
    if (bargeInAfterWords >= 0) {
      // Usually the reply is complete long before it has been spoken: the barge-in then cuts the
      // history of a finished turn.
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (speaker.wordsHeard() < bargeInAfterWords && System.nanoTime() < end) {
        Thread.sleep(5);
      }
      speaker.stop();
      conversation.cancel().get(10, TimeUnit.SECONDS);
    }
    TurnResult done = result.get(60, TimeUnit.SECONDS);
    speaker.awaitSilence(60_000);
    return done;
  }

  /**
   * A simulated recognizer: one partial transcript per word, {@code wordMillis} apart, then the
   * final transcript {@code endMillis} after the last partial (the end-pointing delay).
   */
  public static CompletableFuture<TurnResult> speak(Conversation conversation, String text, long wordMillis, long endMillis)
      throws InterruptedException {
    String[] words = text.trim().split("\\s+");
    StringBuilder partial = new StringBuilder();
    for (int w = 0; w < words.length; w++) {
      partial.append(w == 0 ? "" : " ").append(words[w]);
      conversation.partialTranscript(partial.toString());
      Thread.sleep(w == words.length - 1 ? endMillis : wordMillis);
    }
    return conversation.finalTranscript(text.trim());
  }

  @Override
  public void close() throws IOException {
    speaker.close();
    agent.close();
  }
}

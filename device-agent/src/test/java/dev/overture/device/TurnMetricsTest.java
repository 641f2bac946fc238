package dev.overture.device;

import static dev.overture.device.Agents.QUESTION;
import static dev.overture.device.Agents.ask;
import static dev.overture.device.Agents.askStepwise;
import static dev.overture.device.Agents.await;
import static dev.overture.device.Agents.hear;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.overture.device.opener.OpenerPolicy;
import dev.overture.protocol.Words;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a turn measures: the speculative draft, the seam at the handoff, the cloud's latency. */
final class TurnMetricsTest {

  private static final String CONTINUATION = " is a string instrument.";

  @RegisterExtension @Order(1) final StubCloud cloud = new StubCloud();
  @RegisterExtension @Order(2) final Agents agents = new Agents(); // closes its agents first
  private final RecordingListener listener = new RecordingListener();

  @Test
  void draftOfTheLastPartialIsReusedWhenTheFinalMatchesIt() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, CONTINUATION);

    conversation.partialTranscript(QUESTION);
    Agents.drainLoop(conversation); // the draft is made while the user "still speaks"
    TurnResult result = await(conversation.finalTranscript(QUESTION));

    assertTrue(result.metrics().speculativeHit());
    assertEquals(0, result.metrics().prefillTokensAtEnd());
    listener.assertSpliced(0, result);
  }

  @Test
  void finalThatDiffersFromTheLastPartialIsPrefilledAtTheEnd() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, CONTINUATION);

    conversation.partialTranscript("What is a");
    Agents.drainLoop(conversation);
    TurnResult result = await(conversation.finalTranscript(QUESTION));

    assertFalse(result.metrics().speculativeHit());
    assertTrue(result.metrics().prefillTokensAtEnd() > 0, "prefilled " + result.metrics().prefillTokensAtEnd());
  }

  @Test
  void cloudWordAfterTheOpenerPlayedLeavesASeam() throws Exception {
    Conversation conversation = agents.connect(cloud, listener);
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    hear(conversation, turn, turn.awaitCommit().wordCount());

    turn.answer(CONTINUATION);
    TurnMetrics metrics = listener.awaitResult(0).metrics();

    assertTrue(metrics.hadSeam());
    assertTrue(metrics.openerPlayedNanos() >= 0 && metrics.openerPlayedNanos() < metrics.firstCloudWordNanos(), metrics.toString());
  }

  @Test
  void afterARewindTheOpenerHasPlayedOnceTheKeptWordsWereHeard() throws Exception {
    // Patient: the deadline stays far off while the test plays the one kept word and waits.
    Conversation conversation = agents.connect(Agents.patient().speechRate(0.5), cloud, listener);
    StubCloud.CloudTurn turn = askStepwise(conversation, cloud, QUESTION);
    assertEquals(1, turn.rewind(1));
    hear(conversation, turn, 1);
    Thread.sleep(50); // a measurable gap between the kept word's end and the cloud's first word

    turn.delta(CONTINUATION);
    turn.done();
    TurnMetrics metrics = listener.awaitResult(0).metrics();

    assertTrue(metrics.openerPlayedNanos() >= 0 && metrics.openerPlayedNanos() < metrics.firstCloudWordNanos(), metrics.toString());
    assertTrue(metrics.hadSeam(), metrics.toString());
  }

  @Test
  void cloudWordBeforeTheOpenerPlayedLeavesNoSeam() throws Exception {
    // A word every two seconds: the opener plays for several seconds, the stub answers at once.
    cloud.onTurn(turn -> turn.answer(CONTINUATION));
    Conversation conversation = agents.connect(Agents.patient().speechRate(0.5), cloud, listener);

    TurnMetrics metrics = ask(conversation, QUESTION).metrics();

    assertEquals(0, metrics.seamNanos());
    assertFalse(metrics.hadSeam());
  }

  @Test
  void cloudLatencySizesTheNextOpener() throws Exception {
    cloud.onTurn(turn -> {
      turn.awaitCommit();
      Thread.sleep(500); // a cloud slower than the 400 ms assumed
      turn.answer(CONTINUATION);
    });
    OpenerPolicy policy = new OpenerPolicy(1, 12);
    Conversation conversation = agents.connect(Agents.patient().speechRate(10).openerPolicy(policy), cloud, listener);

    TurnMetrics first = ask(conversation, QUESTION).metrics();
    TurnMetrics second = ask(conversation, "And a cello?").metrics();

    assertTrue(first.commitToFirstCloudWordNanos() >= 500_000_000L, first.toString());
    assertTrue(second.expectedCloudNanos() > first.expectedCloudNanos(), "the estimate grew");
    assertEquals(policy.targetWords(first.expectedCloudNanos(), 10), first.openerTargetWords());
    assertEquals(policy.targetWords(second.expectedCloudNanos(), 10), second.openerTargetWords());
    assertTrue(second.openerTargetWords() > first.openerTargetWords(), "a longer opener covers the slower cloud");
  }

  @Test
  void wordsAreCountedBySource() throws Exception {
    Conversation conversation = agents.connectAnswering(cloud, listener, CONTINUATION);

    TurnResult result = ask(conversation, QUESTION);

    TurnMetrics metrics = result.metrics();
    assertEquals(metrics.openerWords(), metrics.deviceWords());
    assertEquals(Words.count(CONTINUATION), metrics.cloudWords());
    assertTrue(metrics.firstWordNanos() >= 0 && metrics.firstWordNanos() <= metrics.firstCloudWordNanos(), metrics.toString());
  }
}

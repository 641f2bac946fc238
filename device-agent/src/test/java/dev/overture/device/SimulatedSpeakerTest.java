package dev.overture.device;

import static dev.overture.device.Agents.QUESTION;
import static dev.overture.device.Agents.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.device.playback.SimulatedSpeaker;
import dev.overture.protocol.Words;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stand-in for text-to-speech the demo uses, playing a conversation's words and reporting
 * its progress back (here, next to the helpers it shares with the conversation's tests).
 */
final class SimulatedSpeakerTest {

  @RegisterExtension @Order(1) final StubCloud cloud = new StubCloud();
  @RegisterExtension @Order(2) final Agents agents = new Agents(); // closes its agents first
  private final RecordingListener listener = new RecordingListener();
  private final SimulatedSpeaker speaker = new SimulatedSpeaker(5, listener);

  @AfterEach
  void closeSpeaker() {
    speaker.close();
  }

  @Test
  void speaksEveryWordOfTheReplyOnce() throws Exception {
    Conversation conversation = agents.build(Agents.patient().mode(AgentMode.DEVICE_ONLY)).newConversation(speaker);
    speaker.attach(conversation);

    TurnResult result = ask(conversation, QUESTION);
    speaker.awaitSilence(StubCloud.TIMEOUT_MILLIS);

    assertEquals(result.reply(), speaker.heardText());
    assertEquals(Words.count(result.reply()), speaker.wordsHeard());
  }

  @Test
  void speaksExactlyTheReplyThroughARewind() throws Exception {
    // However many opener words were spoken before the rewind arrives, the device keeps them and
    // the cloud repairs after them: the speaker says the reply, no more and no less.
    cloud.onTurn(turn -> {
      int kept = turn.rewind(1);
      if (kept > 1) {
        turn.repair(kept);
      }
      turn.delta(" I mean, a string instrument.");
      turn.done();
    });
    Conversation conversation = agents.connect(cloud, speaker);
    speaker.attach(conversation);

    TurnResult result = ask(conversation, QUESTION);
    speaker.awaitSilence(StubCloud.TIMEOUT_MILLIS);

    assertEquals(result.reply(), speaker.heardText());
    listener.assertSpliced(0, result);
    cloud.assertHistoriesAgree(conversation);
  }
}

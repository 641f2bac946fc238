package dev.overture.android;

import dev.overture.device.AgentMode;
import dev.overture.device.ReplyWord;
import dev.overture.device.TurnMetrics;
import dev.overture.device.TurnResult;
import dev.overture.device.TurnStatus;
import dev.overture.device.Verdict;
import dev.overture.device.WordSource;

/** Reply words and turn results as the agent delivers them, for tests. */
final class Replies {

  private Replies() {}

  static ReplyWord device(String text, int index) {
    return new ReplyWord(text, WordSource.DEVICE, index, 3_000_000L, false);
  }

  static ReplyWord cloud(String text, int index) {
    return new ReplyWord(text, WordSource.CLOUD, index, 400_000_000L, false);
  }

  static ReplyWord again(ReplyWord word) {
    return new ReplyWord(word.text(), word.source(), word.index(), word.sinceEndOfSpeechNanos(), true);
  }

  static TurnResult done(TurnStatus status, String reply) {
    TurnMetrics metrics = new TurnMetrics(AgentMode.SPLIT, "websocket", 1, false, 3_000_000L, 2, 2, Verdict.ACCEPT, 2,
        400_000_000L, 380_000_000L, 400_000_000L, 800_000_000L, 0, 2, 3, null, 900_000_000L, 6);
    return new TurnResult("t1-1", status, "What is a violin?", reply, metrics, null);
  }
}

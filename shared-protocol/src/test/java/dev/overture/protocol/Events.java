package dev.overture.protocol;

import java.util.Arrays;
import java.util.Collections;

/** Valid events for tests; sequence numbers and ids are given where a test cares about them. */
public final class Events {

  public static final ClientInfo CLIENT = new ClientInfo("test", "1", null, null);
  public static final Usage USAGE = new Usage(10, 5, 3);

  private Events() {}

  public static SessionStart start(long seq) {
    return new SessionStart("c-start", seq, Collections.singletonList(1), CLIENT);
  }

  public static SessionStarted started(long seq) {
    return started(seq, ProtocolLimits.defaults());
  }

  public static SessionStarted started(long seq, ProtocolLimits limits) {
    return new SessionStarted("s-started", seq, 1, "sess-1", "rh-1", limits);
  }

  public static SessionResume resume(long lastServerSeq) {
    return new SessionResume("c-resume", 0, "rh-1", lastServerSeq);
  }

  public static SessionResumed resumed(long lastClientSeq) {
    return new SessionResumed("s-resumed", 0, "sess-1", lastClientSeq);
  }

  public static Ping ping(String id) {
    return new Ping(id, 0);
  }

  public static Pong pong(String pingId) {
    return new Pong("s-pong", 0, pingId);
  }

  public static GoAway goAway() {
    return new GoAway("s-go", 0, 1000, null);
  }

  public static TurnStart turnStart(long seq, String turn) {
    return new TurnStart("c-" + seq, seq, turn);
  }

  public static ContextHistory history(long seq, String turn, HistoryItem... items) {
    return new ContextHistory("c-" + seq, seq, turn, Arrays.asList(items));
  }

  public static InputPartial partial(long seq, String turn, int revision, String text) {
    return new InputPartial("c-" + seq, seq, turn, revision, text);
  }

  public static InputFinal inputFinal(long seq, String turn, String text) {
    return new InputFinal("c-" + seq, seq, turn, text);
  }

  public static OpenerWord word(long seq, String turn, int index, String text) {
    return new OpenerWord("c-" + seq, seq, turn, index, text);
  }

  public static OpenerCommit commit(long seq, String turn, int count, String text) {
    return new OpenerCommit("c-" + seq, seq, turn, count, text);
  }

  public static OpenerRewindAck ack(long seq, String turn, int kept) {
    return new OpenerRewindAck("c-" + seq, seq, turn, kept);
  }

  public static PlaybackProgress progress(long seq, String turn, int heard) {
    return new PlaybackProgress("c-" + seq, seq, turn, heard);
  }

  public static TurnCancel cancel(long seq, String turn) {
    return new TurnCancel("c-" + seq, seq, turn, CancelReason.BARGE_IN);
  }

  public static TurnTruncate truncate(long seq, String turn, int heard) {
    return new TurnTruncate("c-" + seq, seq, turn, heard);
  }

  public static OpenerAccept accept(long seq, String turn, int count) {
    return new OpenerAccept("s-" + seq, seq, turn, count);
  }

  public static OpenerRewind rewind(long seq, String turn, int keep) {
    return new OpenerRewind("s-" + seq, seq, turn, keep);
  }

  public static OpenerRepair repair(long seq, String turn, int after) {
    return new OpenerRepair("s-" + seq, seq, turn, after);
  }

  public static ContinuationDelta delta(long seq, String turn, String text) {
    return new ContinuationDelta("s-" + seq, seq, turn, text);
  }

  public static ContinuationDone done(long seq, String turn, DoneStatus status) {
    Failure failure =
        status == DoneStatus.FAILED ? new Failure(ErrorCode.ENGINE_FAILED, "boom") : null;
    return new ContinuationDone("s-" + seq, seq, turn, status, USAGE, failure);
  }

  public static TurnTruncated truncated(long seq, String turn, int heard, String text) {
    return new TurnTruncated("s-" + seq, seq, turn, heard, text);
  }

  public static ErrorEvent error(boolean fatal) {
    return new ErrorEvent("x-error", 0, ErrorCode.INTERNAL, "oops", fatal, null);
  }

  public static ContinueRequest continueRequest(String... openerWords) {
    return new ContinueRequest(
        1,
        "t1",
        Collections.singletonList(new HistoryItem(Role.USER, "Hi")),
        "Do you like music?",
        Arrays.asList(openerWords),
        null,
        null);
  }
}

package dev.overture.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.overture.protocol.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Records every callback in order, with the checks every test wants: callbacks run on the agent's
 * callback thread, a turn ends once, no word follows its turn's end, and the words delivered
 * splice into the reply exactly.
 */
final class RecordingListener implements AgentListener {

  // Guarded by this.
  private final List<Object> events = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  @Override
  public void onWord(ReplyWord word) {
    record(word);
  }

  @Override
  public void onRewind(Rewind rewind) {
    record(rewind);
  }

  @Override
  public void onRepairStart(RepairStart repair) {
    record(repair);
  }

  @Override
  public void onTurnDone(TurnResult result) {
    record(result);
  }

  @Override
  public void onError(AgentException error) {
    record(error);
  }

  private synchronized void record(Object event) {
    String thread = Thread.currentThread().getName();
    if (!thread.startsWith("overture-callbacks-")) {
      problems.add(event + " on thread " + thread);
    }
    events.add(event);
    notifyAll();
  }

  /**
   * The callbacks so far, one token each, runs of words from one source collapsed: {@code device}
   * and {@code cloud} words, {@code again} for redelivered ones, {@code rewind(k)}, {@code
   * repair(k)}, {@code done(STATUS)}. Errors are left out ({@link #errors}): a network notice may
   * come at any point. Fails if a callback ran off the callback thread, or a turn broke the order.
   */
  synchronized String trace() {
    assertEquals(List.of(), problems, "callbacks off the callback thread");
    StringBuilder trace = new StringBuilder();
    String last = null;
    for (Object event : events) {
      String token = token(event);
      if (token == null || (token.equals(last) && event instanceof ReplyWord)) {
        continue;
      }
      trace.append(trace.length() == 0 ? "" : " ").append(token);
      last = token;
    }
    return trace.toString();
  }

  private static String token(Object event) {
    if (event instanceof ReplyWord) {
      ReplyWord word = (ReplyWord) event;
      return word.redelivered() ? "again" : word.source().name().toLowerCase(java.util.Locale.ROOT);
    } else if (event instanceof Rewind) {
      return "rewind(" + ((Rewind) event).keptWords() + ")";
    } else if (event instanceof RepairStart) {
      return "repair(" + ((RepairStart) event).afterWords() + ")";
    } else if (event instanceof TurnResult) {
      return "done(" + ((TurnResult) event).status() + ")";
    }
    return null;
  }

  /** The errors reported so far, in order. */
  synchronized List<AgentException> errors() {
    List<AgentException> errors = new ArrayList<>();
    for (Object event : events) {
      if (event instanceof AgentException) {
        errors.add((AgentException) event);
      }
    }
    return errors;
  }

  /** The kinds of {@link #errors()}. */
  synchronized List<AgentException.Kind> errorKinds() {
    List<AgentException.Kind> kinds = new ArrayList<>();
    for (AgentException error : errors()) {
      kinds.add(error.kind());
    }
    return kinds;
  }

  /** The words delivered in turn {@code n} (from 0; the running turn too), in order. */
  synchronized List<ReplyWord> words(int n) {
    List<ReplyWord> words = new ArrayList<>();
    for (Object event : turnEvents(n)) {
      if (event instanceof ReplyWord) {
        words.add((ReplyWord) event);
      }
    }
    return words;
  }

  /** Waits until turn {@code n} delivered {@code count} words (reply word indices, not pieces). */
  synchronized void awaitWords(int n, int count) throws InterruptedException {
    awaitUntil(() -> Words.count(spliced(n)) >= count, count + " words");
  }

  /** The result of turn {@code n} (from 0), once it ended. */
  synchronized TurnResult awaitResult(int n) throws InterruptedException {
    awaitUntil(() -> results().size() > n, "the end of turn " + n);
    return results().get(n);
  }

  /** Waits until {@code count} errors were reported. */
  synchronized void awaitErrors(int count) throws InterruptedException {
    awaitUntil(() -> errors().size() >= count, count + " errors");
  }

  private void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + StubCloud.TIMEOUT_MILLIS * 1_000_000L;
    while (!condition.getAsBoolean()) {
      long left = (end - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        throw new AssertionError("timed out waiting for " + what + "; got " + events);
      }
      wait(left);
    }
  }

  /**
   * What the user is to hear of turn {@code n}: the words delivered, less those a rewind dropped;
   * a redelivery (after a resume) replaces the words from its first index on.
   */
  synchronized String spliced(int n) {
    List<ReplyWord> live = new ArrayList<>();
    boolean redelivering = false;
    for (Object event : turnEvents(n)) {
      if (event instanceof ReplyWord) {
        ReplyWord word = (ReplyWord) event;
        if (word.redelivered() && !redelivering) {
          dropFrom(live, word.index());
        }
        redelivering = word.redelivered();
        live.add(word);
      } else {
        redelivering = false;
        if (event instanceof Rewind) {
          dropFrom(live, ((Rewind) event).keptWords());
        }
      }
    }
    StringBuilder text = new StringBuilder();
    for (ReplyWord word : live) {
      text.append(word.text());
      assertEquals(Words.count(text) - 1, word.index(), "index of [" + word.text() + "] after [" + text + "]");
    }
    return text.toString();
  }

  private static void dropFrom(List<ReplyWord> live, int index) {
    live.removeIf(word -> word.index() >= index);
  }

  /**
   * Checks turn {@code n}'s words against its result: they splice into the reply exactly (no word
   * lost or twice), each word's index is its place in the reply, and the turn ended once.
   */
  synchronized void assertSpliced(int n, TurnResult result) {
    List<TurnResult> ends = new ArrayList<>();
    for (Object event : turnEvents(n)) {
      if (event instanceof TurnResult) {
        ends.add((TurnResult) event);
      }
    }
    assertEquals(List.of(result), ends, "the turn ends once");
    assertEquals(result.reply(), spliced(n), "the words delivered vs the reply");
  }

  /** The results of the turns ended so far. */
  synchronized List<TurnResult> results() {
    List<TurnResult> results = new ArrayList<>();
    for (Object event : events) {
      if (event instanceof TurnResult) {
        results.add((TurnResult) event);
      }
    }
    return results;
  }

  /**
   * Turn {@code n}'s callbacks, up to and with its end, and the words a resume delivers after it:
   * the next turn starts with its first callback that is not such a word (a new turn's first word
   * has index 0 and is not redelivered).
   */
  private List<Object> turnEvents(int n) {
    List<Object> turn = new ArrayList<>();
    int current = 0;
    boolean ended = false;
    for (Object event : events) {
      if (ended && !(event instanceof AgentException) && !resumedLate(event)) {
        current++;
        ended = false;
      }
      if (current == n) {
        turn.add(event);
      }
      ended |= event instanceof TurnResult;
    }
    return turn;
  }

  private static boolean resumedLate(Object event) {
    return event instanceof ReplyWord && (((ReplyWord) event).redelivered() || ((ReplyWord) event).index() > 0);
  }
}

package dev.overture.cloud.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.protocol.CancelReason;
import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ClientInfo;
import dev.overture.protocol.InputFinal;
import dev.overture.protocol.InputPartial;
import dev.overture.protocol.OpenerCommit;
import dev.overture.protocol.OpenerRewindAck;
import dev.overture.protocol.OpenerWord;
import dev.overture.protocol.Ping;
import dev.overture.protocol.PlaybackProgress;
import dev.overture.protocol.ProtocolException;
import dev.overture.protocol.SessionResume;
import dev.overture.protocol.SessionStart;
import dev.overture.protocol.TurnCancel;
import dev.overture.protocol.TurnStart;
import dev.overture.protocol.TurnTruncate;
import dev.overture.protocol.codec.EventCodec;
import dev.overture.protocol.jackson3.Jackson3Binding;
import java.util.List;
import java.util.Map;

/** Writes a device's frames with consecutive ids and sequence numbers, for tests. */
public final class Device {

  private final EventCodec codec = new EventCodec(new Jackson3Binding());
  private long seq;
  private int ids;

  public String start() {
    return numbered(new SessionStart(id(), ++seq, List.of(1), new ClientInfo("test", "1", null, null)));
  }

  public String resume(String handle, long lastServerSeq) {
    return numbered(new SessionResume(id(), 0, handle, lastServerSeq));
  }

  public String turnStart(String turn) {
    return numbered(new TurnStart(id(), ++seq, turn));
  }

  public String partial(String turn, int revision, String text) {
    return numbered(new InputPartial(id(), ++seq, turn, revision, text));
  }

  public String inputFinal(String turn, String text) {
    return numbered(new InputFinal(id(), ++seq, turn, text));
  }

  public String word(String turn, int index, String text) {
    return numbered(new OpenerWord(id(), ++seq, turn, index, text));
  }

  public String commit(String turn, List<String> words) {
    return numbered(new OpenerCommit(id(), ++seq, turn, words.size(), String.join("", words)));
  }

  public String progress(String turn, int wordsHeard) {
    return numbered(new PlaybackProgress(id(), ++seq, turn, wordsHeard));
  }

  public String ack(String turn, int keptWords) {
    return numbered(new OpenerRewindAck(id(), ++seq, turn, keptWords));
  }

  public String cancel(String turn) {
    return numbered(new TurnCancel(id(), ++seq, turn, CancelReason.BARGE_IN));
  }

  public String truncate(String turn, int wordsHeard) {
    return numbered(new TurnTruncate(id(), ++seq, turn, wordsHeard));
  }

  public String ping(String id) {
    return numbered(new Ping(id, 0));
  }

  /**
   * A numbered frame of {@code type} with the next id and sequence number and the given members
   * (JSON text without braces), not checked by the codec: what a careless client sends.
   */
  public String unchecked(String type, String members) {
    return "{\"type\":\"" + type + "\",\"event_id\":\"" + id() + "\",\"seq\":" + (++seq)
        + (members.isEmpty() ? "" : "," + members) + "}";
  }

  /** The id the last frame carried. */
  public String lastId() {
    return "c-" + ids;
  }

  /** Starts a session on {@code client} and returns {@code session.started}. */
  public Map<String, Object> open(WsClient client) {
    client.send(start());
    Map<String, Object> started = client.nextEvent();
    assertThat(started).containsEntry("type", "session.started");
    return started;
  }

  /** A turn up to its commit: turn.start, input.final, each opener word, opener.commit. */
  public void committedTurn(WsClient client, String turn, String userText, List<String> words) {
    client.send(turnStart(turn));
    client.send(inputFinal(turn, userText));
    for (int i = 0; i < words.size(); i++) {
      client.send(word(turn, i, words.get(i)));
    }
    client.send(commit(turn, words));
  }

  /** Pings and returns once the pong came: every frame sent before was handled. */
  public void sync(WsClient client) {
    String id = "sync-" + (++ids);
    client.send(ping(id));
    Map<String, Object> pong = client.nextEvent();
    assertThat(pong).containsEntry("type", "pong").containsEntry("in_reply_to", id);
  }

  private String id() {
    return "c-" + (++ids);
  }

  private String numbered(ClientEvent event) {
    try {
      return codec.encode(event);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException("the test built an invalid event: " + e.getMessage(), e);
    }
  }
}

package dev.overture.device.internal;

import dev.overture.protocol.HistoryItem;
import dev.overture.protocol.Role;
import dev.overture.protocol.Words;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The history the cloud holds for a WebSocket session, rebuilt from the events the session
 * carried with the protocol's own rules (docs/protocol.md, "The cloud's history"): when a turn
 * ends, the final text and the reply (kept opener plus deltas, or the {@code turn.truncated}
 * text) are appended. The agent compares it with its own history before each turn and sends
 * {@code context.history} when they differ. Not thread-safe.
 */
final class HistoryMirror {

  private List<HistoryItem> history = new ArrayList<>();
  private String turnId;
  private String userText;
  private final StringBuilder reply = new StringBuilder();
  private String opener = "";
  private boolean appended;

  List<HistoryItem> history() {
    return Collections.unmodifiableList(new ArrayList<>(history));
  }

  void replace(List<HistoryItem> items) {
    history = new ArrayList<>(items);
  }

  void turnStarted(String id) {
    turnId = id;
    userText = null;
    reply.setLength(0);
    opener = "";
    appended = false;
  }

  void finalText(String text) {
    userText = text;
  }

  void committed(String openerText) {
    opener = openerText;
    reply.setLength(0);
    reply.append(openerText);
  }

  void rewound(int keptWords) {
    reply.setLength(0);
    reply.append(Words.prefix(opener, keptWords));
  }

  void delta(String text) {
    reply.append(text);
  }

  void done(String id) {
    if (!id.equals(turnId) || appended) {
      return;
    }
    appended = true;
    if (userText != null) {
      history.add(new HistoryItem(Role.USER, userText));
    }
    if (Words.count(reply) > 0) {
      history.add(new HistoryItem(Role.ASSISTANT, reply.toString()));
    }
  }

  void truncated(String id, String text) {
    if (!id.equals(turnId) || !appended) {
      return;
    }
    int last = history.size() - 1;
    boolean hasReply = last >= 0 && history.get(last).role() == Role.ASSISTANT && Words.count(reply) > 0;
    if (hasReply) {
      history.remove(last);
    }
    if (Words.count(text) > 0) {
      history.add(new HistoryItem(Role.ASSISTANT, text));
    }
  }
}

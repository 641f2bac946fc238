package dev.overture.device.internal;

import dev.overture.device.AgentException;
import dev.overture.protocol.ServerEvent;

/** What a cloud link reports to its conversation, always on the agent's loop. */
public interface CloudListener {

  /** A server event about a turn ({@code opener.*}, {@code continuation.*}, {@code turn.truncated}). */
  void onTurnEvent(ServerEvent event);

  /**
   * The link can no longer serve {@code turnId} (or any turn, for null): the connection is gone
   * and could not be resumed, the request failed, or the cloud sent an error about it. The turn
   * should complete without the cloud.
   */
  void onTurnLost(String turnId, AgentException reason);

  /** Something worth telling the app that does not end a turn by itself. */
  void onNotice(AgentException notice);
}

package dev.overture.cloud.engine;

import dev.overture.protocol.HistoryItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the model sees before the assistant's reply: earlier turns and the user's current text
 * (a partial transcript while they speak, the final text after).
 */
public record ConversationContext(List<HistoryItem> history, String userText) {
  public ConversationContext {
    history = Collections.unmodifiableList(new ArrayList<>(history));
    if (userText == null) {
      throw new IllegalArgumentException("userText must not be null");
    }
  }
}

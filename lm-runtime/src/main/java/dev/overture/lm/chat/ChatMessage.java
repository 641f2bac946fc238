package dev.overture.lm.chat;

import java.util.Locale;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who speaks
 * @param content the text, verbatim (chat formats never interpret it, see {@link ChatFormat#encode})
 */
public record ChatMessage(Role role, String content) {

  /** The roles chat templates know. */
  public enum Role {
    SYSTEM, USER, ASSISTANT;

    /** The name templates write: {@code system}, {@code user}, {@code assistant}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(Role.SYSTEM, content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage(Role.ASSISTANT, content);
  }
}

package dev.overture.protocol.codec;

import dev.overture.protocol.Event;
import dev.overture.protocol.internal.Envelope;
import dev.overture.protocol.internal.EventTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link JsonBinding} test double without a JSON library: writing a value records it and
 * returns the frame {@code {"ref":N}}; reading that frame gives the value back if it has the
 * requested type, and fails like a JSON library otherwise.
 */
public final class RecordingBinding implements JsonBinding {

  private final List<Object> written = new ArrayList<>();
  private int reads;

  /** How many values were written. */
  public int writes() {
    return written.size();
  }

  /** How many times {@link #read} was called. */
  public int reads() {
    return reads;
  }

  @Override
  public <T> T read(String json, Class<T> type) throws JsonBindingException {
    reads++;
    Object value = value(json);
    if (type == Envelope.class && value instanceof Event) {
      Event event = (Event) value;
      return type.cast(new Envelope(EventTypes.typeOf(event), event.eventId(), event.seq()));
    }
    if (!type.isInstance(value)) {
      throw new JsonBindingException("cannot bind " + value + " to " + type.getSimpleName(), null);
    }
    return type.cast(value);
  }

  @Override
  public String write(Object value) {
    written.add(value);
    return "{\"ref\":" + (written.size() - 1) + "}";
  }

  private Object value(String frame) throws JsonBindingException {
    String json = frame.strip(); // JSON whitespace around the object pads a frame to a size
    String prefix = "{\"ref\":";
    if (!json.startsWith(prefix) || !json.endsWith("}")) {
      throw new JsonBindingException("not a recorded frame: " + json, null);
    }
    try {
      return written.get(Integer.parseInt(json.substring(prefix.length(), json.length() - 1)));
    } catch (RuntimeException e) {
      throw new JsonBindingException("not a recorded frame: " + json, e);
    }
  }
}

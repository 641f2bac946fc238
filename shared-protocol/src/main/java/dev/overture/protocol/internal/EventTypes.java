package dev.overture.protocol.internal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ConnectionEvent;
import dev.overture.protocol.Event;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.UnknownEvent;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The wire type names of the events, read from the same annotations the JSON bindings use, so the
 * names are declared once (each record's {@code TYPE} constant).
 */
public final class EventTypes {

  private static final Map<String, Class<?>> CLIENT = index(ClientEvent.class);
  private static final Map<String, Class<?>> SERVER = index(ServerEvent.class);

  private EventTypes() {}

  /** The wire type of {@code event}: its record's {@code TYPE}, or the unknown event's type. */
  public static String typeOf(Event event) {
    if (event instanceof UnknownEvent) {
      return ((UnknownEvent) event).type();
    }
    return event.getClass().getAnnotation(JsonTypeName.class).value();
  }

  /** Whether {@code type} names an event the client sends. */
  public static boolean isClientType(String type) {
    return CLIENT.containsKey(type);
  }

  /** Whether {@code type} names an event the server sends. */
  public static boolean isServerType(String type) {
    return SERVER.containsKey(type);
  }

  /** The record of the known event {@code type} (of either direction), or null. */
  public static Class<?> recordOf(String type) {
    return CLIENT.containsKey(type) ? CLIENT.get(type) : SERVER.get(type);
  }

  /** Whether {@code type} names a known event that carries sequence number 0. */
  public static boolean isConnectionType(String type) {
    Class<?> record = recordOf(type);
    return record != null && ConnectionEvent.class.isAssignableFrom(record);
  }

  private static Map<String, Class<?>> index(Class<?> base) {
    Map<String, Class<?>> types = new HashMap<>();
    for (JsonSubTypes.Type subtype : base.getAnnotation(JsonSubTypes.class).value()) {
      types.put(subtype.value().getAnnotation(JsonTypeName.class).value(), subtype.value());
    }
    return Collections.unmodifiableMap(types);
  }
}

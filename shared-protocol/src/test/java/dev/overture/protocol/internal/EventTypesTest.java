package dev.overture.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.overture.protocol.ClientEvent;
import dev.overture.protocol.ConnectionEvent;
import dev.overture.protocol.Events;
import dev.overture.protocol.ServerEvent;
import dev.overture.protocol.UnknownEvent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventTypesTest {

  private static Set<Class<?>> registered(Class<?> base) {
    Set<Class<?>> classes = new HashSet<>();
    for (JsonSubTypes.Type type : base.getAnnotation(JsonSubTypes.class).value()) {
      classes.add(type.value());
    }
    return classes;
  }

  private static Set<Class<?>> permittedRecords(Class<?> base) {
    Set<Class<?>> classes = new HashSet<>(Arrays.asList(base.getPermittedSubclasses()));
    classes.remove(UnknownEvent.class);
    return classes;
  }

  @Test
  void everyClientEventRecordIsRegisteredForJson() {
    assertEquals(permittedRecords(ClientEvent.class), registered(ClientEvent.class));
  }

  @Test
  void everyServerEventRecordIsRegisteredForJson() {
    assertEquals(permittedRecords(ServerEvent.class), registered(ServerEvent.class));
  }

  @Test
  void everyRegisteredRecordHasATypeNameEqualToItsTypeConstant() throws Exception {
    Set<Class<?>> all = registered(ClientEvent.class);
    all.addAll(registered(ServerEvent.class));
    for (Class<?> record : all) {
      JsonTypeName name = record.getAnnotation(JsonTypeName.class);
      assertNotNull(name, record.getName());
      assertEquals(record.getField("TYPE").get(null), name.value());
    }
  }

  @Test
  void typeOfAKnownEventIsItsWireName() {
    assertEquals("opener.word", EventTypes.typeOf(Events.word(5, "t1", 0, "Hi")));
  }

  @Test
  void typeOfAnUnknownEventIsItsOwnType() {
    assertEquals("future.event", EventTypes.typeOf(new UnknownEvent("future.event", "x", 3)));
  }

  @Test
  void directionsAreKnown() {
    assertTrue(EventTypes.isClientType("opener.word"));
    assertFalse(EventTypes.isServerType("opener.word"));
    assertTrue(EventTypes.isServerType("continuation.delta"));
    assertTrue(EventTypes.isClientType("error"));
    assertTrue(EventTypes.isServerType("error"));
    assertFalse(EventTypes.isClientType("future.event"));
  }

  @Test
  void connectionTypesAreTheConnectionEvents() {
    for (Class<?> type : ConnectionEvent.class.getPermittedSubclasses()) {
      assertTrue(EventTypes.isConnectionType(type.getAnnotation(JsonTypeName.class).value()));
    }
    assertFalse(EventTypes.isConnectionType("turn.start"));
    assertFalse(EventTypes.isConnectionType("future.event"));
  }
}

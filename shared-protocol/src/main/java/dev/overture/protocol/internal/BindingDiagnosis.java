package dev.overture.protocol.internal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.overture.protocol.UnknownEvent;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Says in the protocol's own words why a well-formed JSON object does not bind to a protocol
 * record: the first member, in declaration order, that is missing, has the wrong JSON type or does
 * not fit its integer type ({@code "context.history.items[0].role: must be one of user,
 * assistant"}). JSON libraries word these failures in terms of their own internals (coercion
 * configs, creator indexes, Java type names), which mean nothing to a peer and differ between the
 * two Jackson lines; the codec reports this instead.
 *
 * <p>The rules mirror what the bindings must enforce ({@code JsonBinding}): no coercion between
 * JSON types, integers without fraction or exponent, no null for a primitive, every {@code
 * required} member present. They are read from the same {@link JsonProperty} annotations the
 * bindings use, so nothing is declared twice.
 */
public final class BindingDiagnosis {

  private BindingDiagnosis() {}

  /**
   * The first problem of {@code json} (the object read as plain JSON values: maps, lists, strings,
   * numbers, booleans, null) as {@code target}, a protocol record or one of the event interfaces;
   * null when none is found.
   *
   * @param subject what the message names at its root, e.g. {@code continue_request}; for an event
   *     interface the event's type is named instead
   */
  public static String explain(Object json, Class<?> target, String subject) {
    if (!(json instanceof Map)) {
      return subject + ": must be a JSON object";
    }
    Map<?, ?> members = (Map<?, ?>) json;
    if (target.isInterface()) { // an event: its type member picks the record
      Object type = members.get("type");
      if (type == null) {
        return "event.type: missing";
      }
      if (!(type instanceof String)) {
        return "event.type: must be a string";
      }
      Class<?> record = EventTypes.recordOf((String) type);
      String path = record != null || EventValidator.isId((String) type) ? (String) type : "event"; // the peer's text
      return record(members, record == null ? UnknownEvent.class : record, path);
    }
    return record(members, target, subject);
  }

  private static String record(Map<?, ?> members, Class<?> record, String path) {
    Constructor<?> creator = creator(record);
    if (creator == null) {
      return null;
    }
    Annotation[][] annotations = creator.getParameterAnnotations();
    Type[] types = creator.getGenericParameterTypes();
    for (int i = 0; i < types.length; i++) {
      JsonProperty property = property(annotations[i]);
      String member = path + "." + property.value();
      String problem =
          members.containsKey(property.value())
              ? value(members.get(property.value()), types[i], member)
              : property.required() ? member + ": missing" : null;
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String value(Object value, Type type, String path) {
    Class<?> raw = raw(type);
    if (value == null) {
      return raw.isPrimitive() ? path + ": must not be null" : null;
    }
    if (raw == String.class) {
      return value instanceof String ? null : path + ": must be a string";
    }
    if (raw == int.class || raw == Integer.class) {
      return integer(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (raw == long.class || raw == Long.class) {
      return integer(value, path, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return value instanceof Boolean ? null : path + ": must be true or false";
    }
    if (raw.isEnum()) {
      return enumValue(value, raw, path);
    }
    if (List.class.isAssignableFrom(raw)) {
      return list(value, type, path);
    }
    if (creator(raw) != null) {
      return value instanceof Map ? record((Map<?, ?>) value, raw, path) : path + ": must be an object";
    }
    return null;
  }

  private static String list(Object value, Type type, String path) {
    if (!(value instanceof List)) {
      return path + ": must be an array";
    }
    Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
    List<?> items = (List<?>) value;
    for (int i = 0; i < items.size(); i++) {
      String problem = value(items.get(i), element, path + "[" + i + "]");
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String integer(Object value, String path, long min, long max) {
    if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger
        || value instanceof Short || value instanceof Byte)) {
      return path + (value instanceof Number ? ": must be an integer (no fraction or exponent)" : ": must be an integer");
    }
    BigInteger number = new BigInteger(value.toString());
    if (number.compareTo(BigInteger.valueOf(max)) > 0) {
      return path + ": must be at most " + max;
    }
    if (number.compareTo(BigInteger.valueOf(min)) < 0) {
      return path + ": must be at least " + min;
    }
    return null;
  }

  private static String enumValue(Object value, Class<?> type, String path) {
    if (!(value instanceof String)) {
      return path + ": must be a string";
    }
    for (Method method : type.getDeclaredMethods()) {
      if (method.isAnnotationPresent(JsonCreator.class)) {
        return null; // the enum reads any name itself (unknown error codes, for one)
      }
    }
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      String name = ((Enum<?>) constant).name();
      try {
        JsonProperty property = type.getField(name).getAnnotation(JsonProperty.class);
        names.add(property == null ? name : property.value());
      } catch (NoSuchFieldException e) {
        names.add(name);
      }
    }
    return names.contains(value) ? null : path + ": must be one of " + String.join(", ", names);
  }

  /** The constructor the bindings create {@code type} with: every parameter a JSON property. */
  private static Constructor<?> creator(Class<?> type) {
    if (type.isPrimitive() || type.isEnum() || type.isInterface()) {
      return null;
    }
    Constructor<?> best = null;
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      boolean annotated = constructor.getParameterTypes().length > 0;
      for (Annotation[] parameter : constructor.getParameterAnnotations()) {
        annotated &= property(parameter) != null;
      }
      if (annotated && (best == null || constructor.getParameterTypes().length > best.getParameterTypes().length)) {
        best = constructor;
      }
    }
    return best;
  }

  private static JsonProperty property(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation instanceof JsonProperty) {
        return (JsonProperty) annotation;
      }
    }
    return null;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    return (Class<?>) ((ParameterizedType) type).getRawType();
  }
}

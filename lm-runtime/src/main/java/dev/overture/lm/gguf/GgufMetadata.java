package dev.overture.lm.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The key-value metadata of a GGUF file, in file order, with typed access.
 *
 * <p>{@link #raw} returns values as {@link GgufValueType} documents (unsigned types widened). The
 * typed getters convert between compatible types: {@link #getLong}/{@link #getInt} accept every
 * integer type whose value fits, {@link #getFloat} every numeric type, {@link #getBoolean} only
 * bool, {@link #getString} only string. A missing key or an incompatible value throws {@link
 * GgufMetadataException} naming the file, the key, the type expected and the type found.
 *
 * <p>Immutable and thread-safe.
 */
public final class GgufMetadata {
  /** Key of the architecture name, e.g. {@code llama}. */
  public static final String ARCHITECTURE = "general.architecture";
  /** Key of the tensor data alignment (uint32, default 32). */
  public static final String ALIGNMENT = "general.alignment";

  private final String source;
  private final Map<String, Object> values;
  private final Map<String, GgufValueType> types;

  GgufMetadata(String source, Map<String, Object> values, Map<String, GgufValueType> types) {
    this.source = source;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
  }

  /** Where this metadata came from (the file name), as used in error messages. */
  public String source() {
    return source;
  }

  /** All keys in file order. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** Number of keys. */
  public int size() {
    return values.size();
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The type the file stores {@code key} as, if present. */
  public Optional<GgufValueType> type(String key) {
    return Optional.ofNullable(types.get(key));
  }

  /**
   * The value as stored: {@code String}, {@code Boolean}, {@code Byte}, {@code Short}, {@code
   * Integer}, {@code Long}, {@code Float}, {@code Double} or {@link GgufArray}, as {@link
   * GgufValueType} documents.
   *
   * @throws GgufMetadataException if the key is absent
   */
  public Object raw(String key) {
    Object value = values.get(key);
    if (value == null) {
      throw missing(key, "any type");
    }
    return value;
  }

  public String getString(String key) {
    return (String) require(key, GgufValueType.STRING, "string");
  }

  public Optional<String> findString(String key) {
    return has(key) ? Optional.of(getString(key)) : Optional.empty();
  }

  /** An integer of any GGUF integer type; uint64 values above Long.MAX_VALUE are rejected. */
  public long getLong(String key) {
    GgufValueType type = typeOf(key, "an integer");
    if (!type.isInteger()) {
      throw mistyped(key, "an integer");
    }
    long value = ((Number) values.get(key)).longValue();
    if (type == GgufValueType.UINT64 && value < 0) {
      throw new GgufMetadataException(key, where(key) + " holds uint64 " + Long.toUnsignedString(value)
          + ", which exceeds the largest supported value " + Long.MAX_VALUE);
    }
    return value;
  }

  /** An integer of any GGUF integer type whose value fits an int. */
  public int getInt(String key) {
    long value = getLong(key);
    if (value != (int) value) {
      throw new GgufMetadataException(key, where(key) + " holds " + types.get(key).wireName() + " "
          + value + ", which does not fit a Java int");
    }
    return (int) value;
  }

  /** A float32, or any other numeric type converted to float. */
  public float getFloat(String key) {
    GgufValueType type = typeOf(key, "a number");
    if (type == GgufValueType.FLOAT32 || type == GgufValueType.FLOAT64) {
      return ((Number) values.get(key)).floatValue();
    }
    if (type.isInteger()) {
      return (float) getLong(key);
    }
    throw mistyped(key, "a number");
  }

  public boolean getBoolean(String key) {
    return (Boolean) require(key, GgufValueType.BOOL, "bool");
  }

  public OptionalLong findLong(String key) {
    return has(key) ? OptionalLong.of(getLong(key)) : OptionalLong.empty();
  }

  public Optional<Float> findFloat(String key) {
    return has(key) ? Optional.of(getFloat(key)) : Optional.empty();
  }

  public Optional<Boolean> findBoolean(String key) {
    return has(key) ? Optional.of(getBoolean(key)) : Optional.empty();
  }

  /** The array stored under {@code key}, of any element type. */
  public GgufArray getArray(String key) {
    return (GgufArray) require(key, GgufValueType.ARRAY, "array");
  }

  /** A string array, unmodifiable. */
  public List<String> getStringArray(String key) {
    GgufArray array = getArray(key);
    if (array.elementType() != GgufValueType.STRING) {
      throw mistypedArray(key, "string");
    }
    return array.stringList();
  }

  /** A float32 array, or an array of any other numeric type converted to float; a fresh copy. */
  public float[] getFloatArray(String key) {
    GgufArray array = getArray(key);
    GgufValueType type = array.elementType();
    if (type != GgufValueType.FLOAT32 && type != GgufValueType.FLOAT64 && !type.isInteger()) {
      throw mistypedArray(key, "numeric");
    }
    float[] result = new float[array.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = (float) array.doubleAt(i);
    }
    return result;
  }

  /** An array of any integer type whose every element fits an int; a fresh copy. */
  public int[] getIntArray(String key) {
    GgufArray array = getArray(key);
    GgufValueType type = array.elementType();
    if (!type.isInteger()) {
      throw mistypedArray(key, "integer");
    }
    int[] result = new int[array.size()];
    for (int i = 0; i < result.length; i++) {
      long value = array.longAt(i);
      if (value != (int) value || (type == GgufValueType.UINT64 && value < 0)) {
        throw new GgufMetadataException(key, where(key) + " element " + i + " ("
            + (type == GgufValueType.UINT64 ? Long.toUnsignedString(value) : String.valueOf(value))
            + ") does not fit a Java int");
      }
      result[i] = (int) value;
    }
    return result;
  }

  /** The model architecture, {@code general.architecture} (e.g. {@code llama}, {@code qwen2}). */
  public String architecture() {
    return getString(ARCHITECTURE);
  }

  private Object require(String key, GgufValueType type, String expected) {
    if (typeOf(key, expected) != type) {
      throw mistyped(key, expected);
    }
    return values.get(key);
  }

  private GgufValueType typeOf(String key, String expected) {
    GgufValueType type = types.get(key);
    if (type == null) {
      throw missing(key, expected);
    }
    return type;
  }

  private String where(String key) {
    return source + ": metadata key '" + key + "'";
  }

  private GgufMetadataException missing(String key, String expected) {
    return new GgufMetadataException(key, where(key) + " is missing (expected " + expected + ")");
  }

  private GgufMetadataException mistyped(String key, String expected) {
    return new GgufMetadataException(key, where(key) + " holds " + describe(key) + ", expected " + expected);
  }

  private GgufMetadataException mistypedArray(String key, String expected) {
    return new GgufMetadataException(key, where(key) + " holds " + describe(key) + ", expected an array of "
        + expected + " elements");
  }

  private String describe(String key) {
    Object value = values.get(key);
    if (value instanceof GgufArray) {
      GgufArray array = (GgufArray) value;
      return "an array of " + array.size() + " " + array.elementType().wireName() + " elements";
    }
    String text = String.valueOf(value);
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    return types.get(key).wireName() + " " + (value instanceof String ? "'" + text + "'" : text);
  }

  @Override
  public String toString() {
    return "GgufMetadata[" + source + ", " + values.size() + " keys]";
  }
}

package dev.overture.lm.gguf;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable GGUF metadata array: elements of one {@link GgufValueType}, possibly arrays
 * themselves (nested arrays). Elements are kept in their compact primitive form; {@link #get}
 * widens them exactly as {@link GgufMetadata#raw} does for scalars.
 */
public final class GgufArray {
  private final GgufValueType elementType;
  /** byte[], short[], int[], long[], float[], double[], boolean[], String[] or GgufArray[]. */
  private final Object values;

  private GgufArray(GgufValueType elementType, Object values) {
    this.elementType = Objects.requireNonNull(elementType, "elementType");
    this.values = values;
  }

  /** A string array; the list is copied. */
  public static GgufArray ofStrings(List<String> values) {
    String[] copy = values.toArray(new String[0]);
    for (int i = 0; i < copy.length; i++) {
      Objects.requireNonNull(copy[i], "element " + i);
    }
    return new GgufArray(GgufValueType.STRING, copy);
  }

  /** A float32 array; the array is copied. */
  public static GgufArray ofFloats(float[] values) {
    return new GgufArray(GgufValueType.FLOAT32, values.clone());
  }

  /** A float64 array; the array is copied. */
  public static GgufArray ofDoubles(double[] values) {
    return new GgufArray(GgufValueType.FLOAT64, values.clone());
  }

  /** An int32 array; the array is copied. */
  public static GgufArray ofInts(int[] values) {
    return new GgufArray(GgufValueType.INT32, values.clone());
  }

  /** A uint32 array; every value must lie in 0..4294967295. */
  public static GgufArray ofUInt32s(long[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("uint32 element " + i + " out of range: " + values[i]);
      }
      bits[i] = (int) values[i];
    }
    return new GgufArray(GgufValueType.UINT32, bits);
  }

  /** An int64 array; the array is copied. */
  public static GgufArray ofLongs(long[] values) {
    return new GgufArray(GgufValueType.INT64, values.clone());
  }

  /** A bool array; the array is copied. */
  public static GgufArray ofBooleans(boolean[] values) {
    return new GgufArray(GgufValueType.BOOL, values.clone());
  }

  /** An array of arrays (GGUF allows nesting; llama.cpp itself never writes it). */
  public static GgufArray ofArrays(List<GgufArray> values) {
    GgufArray[] copy = values.toArray(new GgufArray[0]);
    for (int i = 0; i < copy.length; i++) {
      Objects.requireNonNull(copy[i], "element " + i);
    }
    return new GgufArray(GgufValueType.ARRAY, copy);
  }

  /**
   * Wraps storage the reader filled: {@code values} must be the primitive array that {@link
   * #storageFor} made for {@code elementType}; it is not copied.
   */
  static GgufArray wrap(GgufValueType elementType, Object values) {
    return new GgufArray(elementType, values);
  }

  /** Empty storage of {@code length} elements for {@code elementType}. */
  static Object storageFor(GgufValueType elementType, int length) {
    switch (elementType) {
      case UINT8: case INT8: return new byte[length];
      case UINT16: case INT16: return new short[length];
      case UINT32: case INT32: return new int[length];
      case UINT64: case INT64: return new long[length];
      case FLOAT32: return new float[length];
      case FLOAT64: return new double[length];
      case BOOL: return new boolean[length];
      case STRING: return new String[length];
      case ARRAY: return new GgufArray[length];
      default: throw new AssertionError(elementType);
    }
  }

  /** The type of every element. */
  public GgufValueType elementType() {
    return elementType;
  }

  /** Number of elements. */
  public int size() {
    return Array.getLength(values);
  }

  /** Element {@code index}, boxed and widened as {@link GgufValueType} documents. */
  public Object get(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + elementType.wireName() + "[" + size() + "]");
    }
    switch (elementType) {
      case INT8: return ((byte[]) values)[index];
      case INT16: return ((short[]) values)[index];
      case UINT8: case UINT16: case INT32: return (int) longAt(index);
      case UINT32: case UINT64: case INT64: return longAt(index);
      case FLOAT32: return ((float[]) values)[index];
      case FLOAT64: return ((double[]) values)[index];
      case BOOL: return ((boolean[]) values)[index];
      case STRING: return ((String[]) values)[index];
      case ARRAY: return ((GgufArray[]) values)[index];
      default: throw new AssertionError(elementType);
    }
  }

  /** Integer element {@code index} as a long (uint64 values above Long.MAX_VALUE read negative). */
  long longAt(int index) {
    switch (elementType) {
      case UINT8: return ((byte[]) values)[index] & 0xFF;
      case INT8: return ((byte[]) values)[index];
      case UINT16: return ((short[]) values)[index] & 0xFFFF;
      case INT16: return ((short[]) values)[index];
      case UINT32: return ((int[]) values)[index] & 0xFFFF_FFFFL;
      case INT32: return ((int[]) values)[index];
      case UINT64: case INT64: return ((long[]) values)[index];
      default: throw new IllegalStateException(elementType + " is not an integer type");
    }
  }

  /** Numeric element {@code index} as a double. */
  double doubleAt(int index) {
    switch (elementType) {
      case FLOAT32: return ((float[]) values)[index];
      case FLOAT64: return ((double[]) values)[index];
      case UINT64: {
        long bits = ((long[]) values)[index];
        return bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
      }
      default: return longAt(index);
    }
  }

  /** The elements of a string array, unmodifiable. */
  List<String> stringList() {
    return Collections.unmodifiableList(Arrays.asList((String[]) values));
  }

  /** The storage itself, for the writer; never handed out. */
  Object storage() {
    return values;
  }

  /** All elements boxed, in order (nested arrays stay {@code GgufArray}). */
  public List<Object> toList() {
    List<Object> list = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      list.add(get(i));
    }
    return Collections.unmodifiableList(list);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GgufArray)) {
      return false;
    }
    GgufArray other = (GgufArray) o;
    return elementType == other.elementType && Arrays.deepEquals(new Object[] {values}, new Object[] {other.values});
  }

  @Override
  public int hashCode() {
    return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {values});
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(elementType.wireName()).append('[').append(size()).append("] [");
    int shown = Math.min(size(), 8);
    for (int i = 0; i < shown; i++) {
      s.append(i == 0 ? "" : ", ");
      Object v = get(i);
      s.append(v instanceof String ? '"' + (String) v + '"' : String.valueOf(v));
    }
    return s.append(shown < size() ? ", ...]" : "]").toString();
  }
}

package dev.overture.lm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GgufMetadataTest {
  private final GgufMetadata m = read(new GgufWriter()
      .put("general.architecture", "qwen2")
      .put("u32", 4_000_000)
      .putUInt32("big.u32", 0xFFFF_FFFFL)
      .putInt16("i16", (short) -7)
      .putLong("u64", 5)
      .putInt64("i64", Long.MIN_VALUE)
      .put("f32", 0.5f)
      .putDouble("f64", 0.25)
      .put("flag", true)
      .put("name", "overture")
      .putUInt32s("u32s", new long[] {1, 0xFFFF_FFFFL})
      .putInts("i32s", new int[] {-1, 2})
      .put("u8s", GgufArray.ofBooleans(new boolean[] {true})));

  private static GgufMetadata read(GgufWriter writer) {
    try {
      return GgufFile.read("model.gguf", ByteBuffer.wrap(writer.toByteArray()), GgufFile.MAX_WINDOW).metadata();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertMessage(RuntimeException e, String expected) {
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void convertsBetweenIntegerTypes() {
    assertEquals(4_000_000, m.getInt("u32"));
    assertEquals(0xFFFF_FFFFL, m.getLong("big.u32"));
    assertEquals(-7, m.getInt("i16"));
    assertEquals(5, m.getInt("u64"));
    assertEquals(Long.MIN_VALUE, m.getLong("i64"));
    assertEquals(4_000_000f, m.getFloat("u32"));
  }

  @Test
  void readsFloatsOfEitherWidth() {
    assertEquals(0.5f, m.getFloat("f32"));
    assertEquals(0.25f, m.getFloat("f64"));
    assertEquals(0.5f, m.findFloat("f32").get());
    assertFalse(m.findFloat("absent").isPresent());
  }

  @Test
  void readsArrays() {
    assertArrayEquals(new int[] {-1, 2}, m.getIntArray("i32s"));
    assertArrayEquals(new float[] {1f, 4294967295f}, m.getFloatArray("u32s"));
    assertEquals(0xFFFF_FFFFL, m.getArray("u32s").get(1));
  }

  @Test
  void namesFileKeyAndTypesInErrors() {
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getString("u32")),
        "model.gguf: metadata key 'u32' holds uint32 4000000, expected string");
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getInt("big.u32")),
        "model.gguf: metadata key 'big.u32' holds uint32 4294967295, which does not fit a Java int");
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getLong("missing.key")),
        "model.gguf: metadata key 'missing.key' is missing (expected an integer)");
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getBoolean("name")),
        "metadata key 'name' holds string 'overture', expected bool");
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getIntArray("u32s")),
        "metadata key 'u32s' element 1 (4294967295) does not fit a Java int");
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getStringArray("i32s")),
        "metadata key 'i32s' holds an array of 2 int32 elements, expected an array of string elements");
    assertMessage(assertThrows(GgufMetadataException.class, () -> m.getFloatArray("u8s")),
        "expected an array of numeric elements");
    assertEquals("missing.key", assertThrows(GgufMetadataException.class, () -> m.getLong("missing.key")).key());
  }

  @Test
  void keepsFileOrderAndTypes() {
    assertEquals("general.architecture", m.keys().iterator().next());
    assertEquals("qwen2", m.architecture());
    assertEquals(GgufValueType.INT16, m.type("i16").get());
    assertTrue(m.getBoolean("flag"));
    assertEquals(Arrays.asList(1L, 0xFFFF_FFFFL), m.getArray("u32s").toList());
  }

  @Test
  void rejectsUint64BeyondLong() throws Exception {
    byte[] bytes = GgufImage.header(3, 0, 1).key("huge", GgufValueType.UINT64).u64(-1).bytes();
    GgufMetadata huge = GgufFile.read("h.gguf", ByteBuffer.wrap(bytes), GgufFile.MAX_WINDOW).metadata();
    assertEquals(-1L, huge.raw("huge"));
    assertMessage(assertThrows(GgufMetadataException.class, () -> huge.getLong("huge")),
        "holds uint64 18446744073709551615, which exceeds the largest supported value");
  }
}

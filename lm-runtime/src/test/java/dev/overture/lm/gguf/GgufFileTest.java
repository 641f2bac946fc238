package dev.overture.lm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {

  /** A file using every value type, a nested array and three tensors of different types. */
  static GgufWriter everyFeature() {
    ByteBuffer q8 = ByteBuffer.allocate(68);
    for (int i = 0; i < 68; i++) {
      q8.put(i, (byte) i);
    }
    return new GgufWriter()
        .put("general.architecture", "llama")
        .putUInt8("u8", 255)
        .putInt8("i8", (byte) -1)
        .putUInt16("u16", 65535)
        .putInt16("i16", (short) -2)
        .putUInt32("u32", 0xFFFF_FFFFL)
        .putInt32("i32", -3)
        .put("f32", 1.5f)
        .put("bool", true)
        .put("string", "héllo ✓ 😀")
        .putLong("u64", Long.MAX_VALUE)
        .putInt64("i64", -4)
        .putDouble("f64", Math.PI)
        .putStrings("strings", Arrays.asList("a", "", "ü"))
        .putFloats("floats", new float[] {0.5f, -1f})
        .putInts("ints", new int[] {-1, 7})
        .put("nested", GgufArray.ofArrays(Arrays.asList(
            GgufArray.ofArrays(Arrays.asList(GgufArray.ofBooleans(new boolean[] {true, false}))),
            GgufArray.ofDoubles(new double[] {2.5}))))
        .addTensor("w", new long[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8})
        .addTensor("q", GgmlType.Q8_0, new long[] {32, 2}, q8)
        .addTensor("h", GgmlType.F16, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 0, 2, 0, 3, 0}));
  }

  @Test
  void readsBackEveryValueType(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("all.gguf");
    everyFeature().write(path);
    try (GgufFile file = GgufFile.open(path)) {
      GgufMetadata m = file.metadata();
      assertEquals(3, file.version());
      assertEquals(path, file.path());
      assertEquals("llama", m.architecture());
      assertEquals(255, m.raw("u8"));
      assertEquals((byte) -1, m.raw("i8"));
      assertEquals(65535, m.raw("u16"));
      assertEquals((short) -2, m.raw("i16"));
      assertEquals(0xFFFF_FFFFL, m.raw("u32"));
      assertEquals(-3, m.raw("i32"));
      assertEquals(1.5f, m.raw("f32"));
      assertEquals(true, m.raw("bool"));
      assertEquals("héllo ✓ 😀", m.getString("string"));
      assertEquals(Long.MAX_VALUE, m.getLong("u64"));
      assertEquals(-4L, m.raw("i64"));
      assertEquals(Math.PI, m.raw("f64"));
      assertEquals(Arrays.asList("a", "", "ü"), m.getStringArray("strings"));
      assertArrayEquals(new float[] {0.5f, -1f}, m.getFloatArray("floats"));
      assertArrayEquals(new int[] {-1, 7}, m.getIntArray("ints"));
      GgufArray nested = m.getArray("nested");
      assertEquals(GgufValueType.ARRAY, nested.elementType());
      GgufArray inner = (GgufArray) ((GgufArray) nested.get(0)).get(0);
      assertEquals(Arrays.asList(true, false), inner.toList());
      assertEquals(2.5, ((GgufArray) nested.get(1)).get(0));
    }
  }

  @Test
  void readsTensorInfosAndData(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("t.gguf");
    everyFeature().write(path);
    try (GgufFile file = GgufFile.open(path)) {
      List<GgufTensorInfo> tensors = file.tensors();
      assertEquals(Arrays.asList("w", "q", "h"), Arrays.asList(tensors.get(0).name(), tensors.get(1).name(), tensors.get(2).name()));

      GgufTensorInfo w = file.requireTensor("w");
      assertArrayEquals(new long[] {4, 2}, w.shape());
      assertEquals(4, w.rowLength());
      assertEquals(2, w.rows());
      assertEquals(32, w.byteSize());
      ByteBuffer wd = file.tensorData(w);
      assertEquals(ByteOrder.LITTLE_ENDIAN, wd.order());
      assertTrue(wd.isReadOnly());
      assertEquals(0, wd.position());
      assertEquals(32, wd.capacity());
      assertEquals(6f, wd.getFloat(5 * 4));

      GgufTensorInfo q = file.requireTensor("q");
      assertEquals(GgmlType.Q8_0, q.type());
      assertEquals(32, q.offset()); // 32 bytes of w, already aligned
      ByteBuffer qd = file.tensorData(q);
      assertEquals(68, qd.capacity());
      assertEquals(67, qd.get(67));

      GgufTensorInfo h = file.requireTensor("h");
      assertEquals(128, h.offset()); // 32 + align(68) = 32 + 96
      assertEquals(3, file.tensorData(h).get(4));
    }
  }

  @Test
  void requireTensorNamesFileAndTensor(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("named.gguf");
    everyFeature().write(path);
    try (GgufFile file = GgufFile.open(path)) {
      assertFalse(file.tensor("output.weight").isPresent());
      GgufFormatException e = assertThrows(GgufFormatException.class, () -> file.requireTensor("output.weight"));
      assertTrue(e.getMessage().contains("named.gguf") && e.getMessage().contains("'output.weight'"), e.getMessage());
    }
  }

  @Test
  void refusesTensorDataAfterClose(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("c.gguf");
    everyFeature().write(path);
    GgufFile file = GgufFile.open(path);
    GgufTensorInfo w = file.requireTensor("w");
    file.close();
    assertThrows(IllegalStateException.class, () -> file.tensorData(w));
  }

  @Test
  void rejectsTensorInfosOfAnotherFile() throws Exception {
    GgufFile file = memory(everyFeature().toByteArray());
    GgufTensorInfo foreign = new GgufTensorInfo("w", new long[] {4, 2}, GgmlType.F16, 0);
    assertThrows(IllegalArgumentException.class, () -> file.tensorData(foreign));
  }

  @Test
  void readsVersion2() throws Exception {
    byte[] v3 = everyFeature().toByteArray();
    v3[4] = 2; // v2 has v3's layout (v3 only added big-endian files)
    GgufFile file = memory(v3);
    assertEquals(2, file.version());
    assertEquals(8f, file.tensorData(file.requireTensor("w")).getFloat(28));
  }

  @Test
  void rejectsVersion1Clearly() {
    byte[] bytes = GgufImage.header(1, 0, 0).bytes();
    assertFormatError(bytes, "version 1 is not supported");
  }

  @Test
  void rejectsBigEndianFiles() {
    byte[] bytes = new GgufImage().raw('G', 'G', 'U', 'F', 0, 0, 0, 3).u64(0).u64(0).bytes();
    assertFormatError(bytes, "big-endian GGUF");
  }

  @Test
  void rejectsFutureVersions() {
    assertFormatError(GgufImage.header(4, 0, 0).bytes(), "unsupported GGUF version 4");
  }

  @Test
  void rejectsOtherFiles() {
    assertFormatError("PK\u0003\u0004 a zip".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "not a GGUF file: bytes 0-3 are 50 4b 03 04");
    assertFormatError(new byte[] {'G', 'G'}, "not a GGUF file: 2 bytes");
  }

  @Test
  void rejectsCountsTheFileCannotHold() {
    assertFormatError(GgufImage.header(3, 1L << 40, 0).bytes(), "declares 1099511627776 tensors but only 8 bytes follow");
    assertFormatError(GgufImage.header(3, 0, -1).bytes(), "declares 18446744073709551615 metadata keys");
  }

  @Test
  void rejectsHugeStringLengthsBeforeAllocating() {
    byte[] bytes = GgufImage.header(3, 0, 1).u64(Long.MAX_VALUE).raw('k').u32(0).u64(0).bytes();
    assertFormatError(bytes, "at byte 24 (metadata key #0): string of 9223372036854775807 bytes but only 13 bytes remain");
  }

  @Test
  void rejectsHugeArraysBeforeAllocating() {
    byte[] bytes = GgufImage.header(3, 0, 1).key("arr", GgufValueType.ARRAY).u32(GgufValueType.FLOAT64.id()).u64(1L << 50).bytes();
    assertFormatError(bytes, "(metadata key 'arr'): array of 1125899906842624 float64 elements needs at least 8 bytes each");
  }

  @Test
  void rejectsUnknownValueTypes() {
    byte[] bytes = GgufImage.header(3, 0, 1).str("k").u32(13).u32(0).bytes();
    assertFormatError(bytes, "at byte 33 (metadata key 'k'): unknown metadata value type id 13");
  }

  @Test
  void rejectsDuplicateKeys() {
    byte[] bytes = GgufImage.header(3, 0, 2)
        .key("k", GgufValueType.UINT8).u8(1)
        .key("k", GgufValueType.UINT8).u8(2)
        .bytes();
    assertFormatError(bytes, "duplicate metadata key 'k'");
  }

  @Test
  void rejectsDeeplyNestedArrays() {
    GgufImage image = GgufImage.header(3, 0, 1).str("deep");
    for (int i = 0; i < 10_000; i++) {
      image.u32(GgufValueType.ARRAY.id());
      if (i > 0) {
        image.u64(1);
      }
    }
    assertFormatError(image.bytes(), "arrays nested deeper than 8 levels");
  }

  @Test
  void rejectsUnknownTensorTypes() {
    byte[] bytes = GgufImage.header(3, 1, 0).tensor("t", GgmlType.F32, 0, 1).bytes();
    bytes[bytes.length - 12] = 4; // the removed Q4_2
    assertFormatError(bytes, "tensor 't' has unknown ggml type id 4");
  }

  @Test
  void rejectsTooManyDimensions() {
    byte[] bytes = GgufImage.header(3, 1, 0).tensor("t", GgmlType.F32, 0, 1, 1, 1, 1, 1).bytes();
    assertFormatError(bytes, "tensor 't' has 5 dimensions, at most 4 allowed");
  }

  @Test
  void rejectsElementCountOverflow() {
    byte[] bytes = GgufImage.header(3, 1, 0).tensor("t", GgmlType.F32, 0, 1L << 40, 1L << 40).bytes();
    assertFormatError(bytes, "more elements than a long can count");
  }

  @Test
  void rejectsPartialBlocks() {
    byte[] bytes = GgufImage.header(3, 1, 0).tensor("t", GgmlType.Q8_0, 0, 16).pad(32).raw(new int[34]).bytes();
    assertFormatError(bytes, "rows of 16 elements, not a multiple of the block size 32");
  }

  @Test
  void rejectsTensorsBeyondTheEndOfFile() {
    byte[] bytes = GgufImage.header(3, 1, 0).tensor("t", GgmlType.F32, 0, 8).pad(32).f32(1).bytes();
    assertFormatError(bytes, "tensor 't' needs bytes 64..96 but the file ends at byte 68 (truncated file?)");
  }

  @Test
  void rejectsMisalignedTensorOffsets() {
    byte[] bytes = GgufImage.header(3, 1, 0).tensor("t", GgmlType.F32, 4, 1).pad(32).raw(new int[64]).bytes();
    assertFormatError(bytes, "tensor 't' data offset 4 is not a multiple of the alignment 32");
  }

  @Test
  void rejectsBadAlignment() {
    byte[] bytes = GgufImage.header(3, 0, 1).key(GgufMetadata.ALIGNMENT, GgufValueType.UINT32).u32(48).bytes();
    assertFormatError(bytes, "'general.alignment' holds uint32 48, expected a power of two");
  }

  @Test
  void rejectsDuplicateTensorNames() {
    byte[] bytes = GgufImage.header(3, 2, 0)
        .tensor("t", GgmlType.F32, 0, 1).tensor("t", GgmlType.F32, 32, 1).pad(32).raw(new int[64]).bytes();
    assertFormatError(bytes, "duplicate tensor name 't'");
  }

  /** Cutting a valid file anywhere gives a typed error, unless only the final padding is lost. */
  @Test
  void everyTruncationFailsWithATypedError() throws Exception {
    byte[] full = everyFeature().toByteArray();
    GgufFile complete = memory(full);
    GgufTensorInfo last = complete.tensors().get(complete.tensors().size() - 1);
    long needed = complete.dataOffset() + last.offset() + last.byteSize();
    for (int length = 0; length < full.length; length++) {
      byte[] cut = Arrays.copyOf(full, length);
      if (length >= needed) {
        assertEquals(3, memory(cut).tensors().size());
      } else {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> memory(cut), "length " + length);
        assertTrue(e.getMessage().startsWith("cut.gguf: "), e.getMessage());
      }
    }
  }

  @Test
  void mapsTensorsInWindowsThatEachContainWholeTensors(@TempDir Path dir) throws Exception {
    GgufWriter writer = new GgufWriter();
    float[][] data = new float[12][];
    for (int t = 0; t < data.length; t++) {
      data[t] = new float[8 + 8 * (t % 3)]; // 32, 64 or 96 bytes
      Arrays.fill(data[t], t);
      writer.addTensor("t" + t, new long[] {data[t].length}, data[t]);
    }
    writer.addTensor("big", new long[] {64}, new float[64]); // 256 bytes, larger than a window
    Path path = dir.resolve("windows.gguf");
    writer.write(path);

    try (GgufFile file = GgufFile.open(path, 128, GgufFile.HEADER_WINDOW)) {
      assertTrue(file.windowCount() > 5, "windows: " + file.windowCount());
      for (int t = 0; t < data.length; t++) {
        ByteBuffer b = file.tensorData(file.requireTensor("t" + t));
        assertEquals(data[t].length * 4, b.capacity());
        for (int i = 0; i < data[t].length; i++) {
          assertEquals(t, b.getFloat(i * 4), "tensor " + t + " element " + i);
        }
      }
      assertEquals(256, file.tensorData(file.requireTensor("big")).capacity());
    }
    try (GgufFile file = GgufFile.open(path)) {
      assertEquals(1, file.windowCount());
    }
  }

  @Test
  void parsesHeadersLongerThanTheFirstMapping(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("long-header.gguf");
    everyFeature().write(path);
    try (GgufFile file = GgufFile.open(path, GgufFile.MAX_WINDOW, 40)) {
      assertEquals("héllo ✓ 😀", file.metadata().getString("string"));
      assertEquals(3, file.tensors().size());
    }
  }

  @Test
  void aHugeArrayCountInALargeFileIsATypedErrorNotAnAllocation(@TempDir Path dir) throws Exception {
    // A 20 GB sparse file (no disk used) whose one metadata array claims 2^31 - 17 INT64 values:
    // its size allows the count, and the values would need a 17 GB array.
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    header.put("GGUF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(1);
    header.putLong(3).put("big".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(9).putInt(11);
    header.putLong(Integer.MAX_VALUE - 16L).flip();
    Path path = dir.resolve("huge.gguf");
    try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(path,
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
      out.write(header);
      out.write(ByteBuffer.wrap(new byte[] {0}), 20L << 30);
    }

    GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(path).close());
    assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
  }

  @Test
  void readsAnImageFromTheBuffersPosition(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("all.gguf");
    everyFeature().write(path);
    byte[] file = Files.readAllBytes(path);
    ByteBuffer image = ByteBuffer.allocate(file.length + 7);
    image.put(new byte[7]).put(file).flip().position(7); // the file after 7 bytes of something else

    try (GgufFile read = GgufFile.read("all.gguf", image); GgufFile opened = GgufFile.open(path)) {
      assertEquals(opened.metadata().keys(), read.metadata().keys());
      assertEquals(opened.tensors().size(), read.tensors().size());
    }
  }

  @Test
  void openReportsTheFileName(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("notes.txt");
    Files.write(path, "just text, not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(path));
    assertTrue(e.getMessage().startsWith("notes.txt: not a GGUF file"), e.getMessage());
  }

  private static GgufFile memory(byte[] bytes) throws Exception {
    return GgufFile.read("cut.gguf", ByteBuffer.wrap(bytes), GgufFile.MAX_WINDOW);
  }

  private static void assertFormatError(byte[] bytes, String expected) {
    GgufFormatException e = assertThrows(GgufFormatException.class, () -> memory(bytes));
    assertTrue(e.getMessage().contains(expected), () -> "message: " + e.getMessage());
  }
}

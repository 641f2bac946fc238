package dev.overture.lm.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {

  @Test
  void writesLlamaCppLayoutByteForByte() throws Exception {
    byte[] written = new GgufWriter()
        .put("a", 7)
        .addTensor("t", new long[] {2}, new float[] {1f, 2f})
        .toByteArray();

    byte[] expected = GgufImage.header(3, 1, 1)
        .key("a", GgufValueType.UINT32).u32(7)
        .tensor("t", GgmlType.F32, 0, 2)
        .pad(32) // header ends at byte 74; data starts at 96
        .f32(1f).f32(2f)
        .pad(32) // every tensor is padded, the last one too
        .bytes();
    assertEquals(128, expected.length);
    assertArrayEquals(expected, written);
  }

  @Test
  void alignsEveryTensorOffset() throws Exception {
    byte[] written = new GgufWriter()
        .alignment(64)
        .addTensor("a", new long[] {3}, new float[] {1, 2, 3})
        .addTensor("b", new long[] {1}, new float[] {4})
        .toByteArray();
    GgufFile file = GgufFile.read("aligned", ByteBuffer.wrap(written), GgufFile.MAX_WINDOW);

    assertEquals(64, file.alignment());
    assertEquals(64, file.metadata().getInt(GgufMetadata.ALIGNMENT));
    assertEquals(GgufValueType.UINT32, file.metadata().type(GgufMetadata.ALIGNMENT).get());
    assertEquals(0, file.dataOffset() % 64);
    assertEquals(0, file.requireTensor("a").offset());
    assertEquals(64, file.requireTensor("b").offset());
    assertEquals(0, written.length % 64);
  }

  @Test
  void omitsAlignmentKeyAtTheDefault() throws Exception {
    GgufFile file = GgufFile.read("default", ByteBuffer.wrap(new GgufWriter().put("x", true).toByteArray()), GgufFile.MAX_WINDOW);
    assertFalse(file.metadata().has(GgufMetadata.ALIGNMENT));
    assertEquals(32, file.alignment());
  }

  @Test
  void writesStandardKeysWithTheTypesLlamaCppDemands() throws Exception {
    byte[] written = new GgufWriter()
        .put("llama.context_length", 2048)
        .put("llama.rope.freq_base", 1e6f)
        .put("tokenizer.ggml.bos_token_id", 1)
        .putInts("tokenizer.ggml.token_type", new int[] {3, 1})
        .putFloats("tokenizer.ggml.scores", new float[] {0f, -1f})
        .put("tokenizer.ggml.add_bos_token", false)
        .toByteArray();
    GgufMetadata m = GgufFile.read("std", ByteBuffer.wrap(written), GgufFile.MAX_WINDOW).metadata();

    assertEquals(GgufValueType.UINT32, m.type("llama.context_length").get());
    assertEquals(GgufValueType.FLOAT32, m.type("llama.rope.freq_base").get());
    assertEquals(GgufValueType.UINT32, m.type("tokenizer.ggml.bos_token_id").get());
    assertEquals(GgufValueType.INT32, m.getArray("tokenizer.ggml.token_type").elementType());
    assertEquals(GgufValueType.FLOAT32, m.getArray("tokenizer.ggml.scores").elementType());
    assertEquals(GgufValueType.BOOL, m.type("tokenizer.ggml.add_bos_token").get());
  }

  @Test
  void putReplacesValueKeepingFirstPosition() throws Exception {
    byte[] written = new GgufWriter().put("a", "x").put("b", "y").put("a", "z").toByteArray();
    GgufMetadata m = GgufFile.read("m", ByteBuffer.wrap(written), GgufFile.MAX_WINDOW).metadata();
    assertEquals(Arrays.asList("a", "b"), Arrays.asList(m.keys().toArray()));
    assertEquals("z", m.getString("a"));
  }

  @Test
  void rejectsDataOfTheWrongSize() {
    GgufWriter writer = new GgufWriter();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> writer.addTensor("q", GgmlType.Q8_0, new long[] {32, 2}, ByteBuffer.allocate(67)));
    assertTrue(e.getMessage().contains("needs 68 bytes, got 67"), e.getMessage());
  }

  @Test
  void rejectsRowsThatAreNotWholeBlocks() {
    assertThrows(IllegalArgumentException.class,
        () -> new GgufWriter().addTensor("q", GgmlType.Q4_0, new long[] {16, 2}, ByteBuffer.allocate(18)));
  }

  @Test
  void rejectsNamesLlamaCppCannotLoad() {
    GgufWriter writer = new GgufWriter().addTensor("x", new long[] {1}, new float[] {0});
    assertThrows(IllegalArgumentException.class, () -> writer.addTensor("x", new long[] {1}, new float[] {0}));
    String tooLong = new String(new char[64]).replace('\0', 'n');
    assertThrows(IllegalArgumentException.class, () -> writer.addTensor(tooLong, new long[] {1}, new float[] {0}));
    assertThrows(IllegalArgumentException.class, () -> writer.addTensor("", new long[] {1}, new float[] {0}));
  }

  @Test
  void rejectsValuesOutsideTheUnsignedRange() {
    GgufWriter writer = new GgufWriter();
    assertThrows(IllegalArgumentException.class, () -> writer.put("n", -1));
    assertThrows(IllegalArgumentException.class, () -> writer.putUInt32("n", 1L << 32));
    assertThrows(IllegalArgumentException.class, () -> writer.putUInt8("n", 256));
    assertThrows(IllegalArgumentException.class, () -> writer.put(GgufMetadata.ALIGNMENT, 64));
    assertThrows(IllegalArgumentException.class, () -> writer.alignment(48));
  }

  @Test
  void writeReplacesTheTargetAndLeavesNoPartialFile(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("m.gguf");
    Files.write(target, new byte[] {1, 2, 3});
    new GgufWriter().put("k", "v").write(target);

    try (GgufFile file = GgufFile.open(target)) {
      assertEquals("v", file.metadata().getString("k"));
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void putAllCopiesTypesAndAlignment() throws Exception {
    byte[] original = new GgufWriter()
        .alignment(128)
        .putUInt8("u8", 200)
        .putInt16("i16", (short) -5)
        .putLong("u64", 1L << 40)
        .putDouble("f64", 0.25)
        .put("arr", GgufArray.ofArrays(Arrays.asList(GgufArray.ofInts(new int[] {1}), GgufArray.ofStrings(Arrays.asList("s")))))
        .toByteArray();
    GgufMetadata m = GgufFile.read("o", ByteBuffer.wrap(original), GgufFile.MAX_WINDOW).metadata();

    byte[] copy = new GgufWriter().putAll(m).toByteArray();
    assertArrayEquals(original, copy);
  }
}

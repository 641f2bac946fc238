package dev.overture.lm.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class GgmlTypeTest {

  /** Ids and sizes as llama.cpp's ggml.h enum and gguf-py's GGML_QUANT_SIZES give them. */
  @ParameterizedTest
  @CsvSource({
    "F32, 0, 1, 4", "F16, 1, 1, 2", "Q4_0, 2, 32, 18", "Q4_1, 3, 32, 20", "Q5_0, 6, 32, 22",
    "Q5_1, 7, 32, 24", "Q8_0, 8, 32, 34", "Q8_1, 9, 32, 36", "Q2_K, 10, 256, 84", "Q3_K, 11, 256, 110",
    "Q4_K, 12, 256, 144", "Q5_K, 13, 256, 176", "Q6_K, 14, 256, 210", "Q8_K, 15, 256, 292",
    "I8, 24, 1, 1", "I16, 25, 1, 2", "I32, 26, 1, 4", "I64, 27, 1, 8", "F64, 28, 1, 8", "BF16, 30, 1, 2"
  })
  void matchesLlamaCppTypeTraits(GgmlType type, int id, int blockSize, int blockBytes) {
    assertEquals(id, type.id());
    assertEquals(blockSize, type.blockSize());
    assertEquals(blockBytes, type.blockBytes());
  }

  @ParameterizedTest
  @EnumSource(GgmlType.class)
  void fromIdFindsEachType(GgmlType type) {
    assertSame(type, GgmlType.fromId(type.id()));
  }

  @ParameterizedTest
  @CsvSource({"4", "5", "31", "36", "39", "-1", "1000"})
  void fromIdRejectsRemovedAndUnknownIds(int id) {
    UnknownGgmlTypeException e = assertThrows(UnknownGgmlTypeException.class, () -> GgmlType.fromId(id));
    assertEquals(id, e.id());
  }

  @Test
  void bytesForCountsWholeBlocks() {
    assertEquals(34 * 4, GgmlType.Q8_0.bytesFor(128));
    assertEquals(210, GgmlType.Q6_K.bytesFor(256));
    assertEquals(4 * 7, GgmlType.F32.bytesFor(7));
  }

  @Test
  void bytesForRejectsPartialBlocks() {
    assertThrows(IllegalArgumentException.class, () -> GgmlType.Q4_0.bytesFor(33));
    assertThrows(IllegalArgumentException.class, () -> GgmlType.F32.bytesFor(-1));
  }
}

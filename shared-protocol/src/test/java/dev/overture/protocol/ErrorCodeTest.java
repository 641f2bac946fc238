package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void wireNamesAreLowerSnakeCaseOfTheConstant() {
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(code.name().toLowerCase(java.util.Locale.ROOT), code.wireName());
    }
  }

  @Test
  void wireNamesAreUnique() {
    Set<String> names = new HashSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(names.add(code.wireName()), code.wireName());
    }
  }

  @Test
  void fromWireNameFindsEveryCode() {
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(code, ErrorCode.fromWireName(code.wireName()));
    }
  }

  @Test
  void unknownWireNameIsUnrecognized() {
    assertEquals(ErrorCode.UNRECOGNIZED, ErrorCode.fromWireName("quota_exceeded"));
    assertEquals(ErrorCode.UNRECOGNIZED, ErrorCode.fromWireName(null));
  }

  @Test
  void toStringIsTheWireName() {
    assertEquals("out_of_order", ErrorCode.OUT_OF_ORDER.toString());
  }
}

package dev.overture.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class ProtocolVersionTest {

  @Test
  void negotiatesTheCurrentVersionWhenOffered() {
    assertEquals(1, ProtocolVersion.negotiate(Arrays.asList(3, 2, 1)));
  }

  @Test
  void failsWhenTheCurrentVersionIsNotOffered() {
    assertEquals(-1, ProtocolVersion.negotiate(Collections.singletonList(2)));
    assertEquals(-1, ProtocolVersion.negotiate(null));
  }
}

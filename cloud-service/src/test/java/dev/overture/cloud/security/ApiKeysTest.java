package dev.overture.cloud.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  private final ApiKeys keys = new ApiKeys(List.of("alpha-secret", "beta-secret"));

  @Test
  void aConfiguredKeyIsIdentifiedByADigestPrefixNotByItself() {
    String id = keys.identify("beta-secret");
    assertThat(id).startsWith("key-").hasSize(12).doesNotContain("beta");
  }

  @Test
  void differentKeysHaveDifferentIds() {
    assertThat(keys.identify("alpha-secret")).isNotEqualTo(keys.identify("beta-secret"));
  }

  @Test
  void anUnknownKeyIsNotIdentified() {
    assertThat(keys.identify("alpha-secreT")).isNull();
    assertThat(keys.identify("")).isNull();
  }

  @Test
  void withoutKeysNothingIsIdentified() {
    assertThat(new ApiKeys(List.of()).identify("anything")).isNull();
  }
}

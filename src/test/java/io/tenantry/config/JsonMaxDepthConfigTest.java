package io.tenantry.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonMaxDepthConfigTest {
  @Test
  void defaultsTo64AndIsSetByEnvironmentOrFlag() {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).jsonMaxDepth()).isEqualTo(64);
    assertThat(ConfigLoader.load(null, Map.of("TENANTRY_HTTP_JSON_MAX_DEPTH", "20"), Map.of()).jsonMaxDepth()).isEqualTo(20);
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("http.json-max-depth", "500")).jsonMaxDepth()).isEqualTo(500);
  }

  /** Above 500 a stored document could come near Jackson's limit of 1000 once a response wraps it. */
  @Test
  void outOfRangeValuesNameTheKey() {
    for (String bad : new String[] {"999", "0", "deep"}) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.json-max-depth", bad)))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("http.json-max-depth"));
    }
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.json-max-depth", "999")))
      .hasMessageContaining("between 1 and 500");
  }
}

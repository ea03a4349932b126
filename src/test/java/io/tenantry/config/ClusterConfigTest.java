package io.tenantry.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster.* and shutdown.* keys, under the environment variable names the operations guide promises. */
class ClusterConfigTest {

  @Test
  void standaloneWithLoopbackDefaults() {
    ClusterSettings cluster = ConfigLoader.load(null, Map.of(), Map.of()).cluster();
    assertThat(cluster.enabled()).isFalse();
    assertThat(cluster.name()).isEqualTo("tenantry");
    assertThat(cluster.host()).isEqualTo("127.0.0.1");
    assertThat(cluster.port()).isEqualTo(5701);
    assertThat(cluster.members()).containsExactly("127.0.0.1");
    assertThat(cluster.multicast()).isFalse();
    assertThat(cluster.minMembers()).isEqualTo(1);
  }

  @Test
  void theIssuesEnvironmentVariablesConfigureTheCluster() {
    Config config = ConfigLoader.load(null, Map.of(
      "TENANTRY_CLUSTER", "true",
      "TENANTRY_CLUSTER_NAME", "prod-eu",
      "TENANTRY_CLUSTER_PORT", "5801",
      "TENANTRY_CLUSTER_MEMBERS", "10.0.0.11:5801, 10.0.0.12:5801,10.0.0.13",
      "TENANTRY_CLUSTER_HOST", "10.0.0.11",
      "TENANTRY_SHUTDOWN_TIMEOUT_MS", "12000"), Map.of());
    ClusterSettings cluster = config.cluster();
    assertThat(cluster.enabled()).isTrue();
    assertThat(cluster.name()).isEqualTo("prod-eu");
    assertThat(cluster.port()).isEqualTo(5801);
    assertThat(cluster.members()).isEqualTo(List.of("10.0.0.11:5801", "10.0.0.12:5801", "10.0.0.13"));
    assertThat(cluster.host()).isEqualTo("10.0.0.11");
    assertThat(config.shutdownTimeoutMs()).isEqualTo(12000);
  }

  @Test
  void theRulesNameAndTheFlagWorkToo() {
    assertThat(ConfigLoader.load(null, Map.of("TENANTRY_CLUSTER_ENABLED", "true"), Map.of()).cluster().enabled()).isTrue();
    assertThat(ConfigLoader.load(null, Map.of(), Map.of("cluster.enabled", "true")).cluster().enabled()).isTrue();
    assertThat(ConfigLoader.load(null, Map.of("TENANTRY_CLUSTER", "true", "TENANTRY_CLUSTER_ENABLED", "true"), Map.of())
      .cluster().enabled()).isTrue();
  }

  @Test
  void contradictingAliasesAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null,
      Map.of("TENANTRY_CLUSTER", "true", "TENANTRY_CLUSTER_ENABLED", "false"), Map.of()))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("cluster.enabled");
  }

  @Test
  void badClusterSettingsNameTheKey() {
    assertKey(Map.of("TENANTRY_CLUSTER", "yes"), "cluster.enabled");
    assertKey(Map.of("TENANTRY_CLUSTER_MEMBERS", "10.0.0.1;rm -rf"), "cluster.members");
    assertKey(Map.of("TENANTRY_CLUSTER_MEMBERS", " , "), "cluster.members");
    assertKey(Map.of("TENANTRY_CLUSTER_PORT", "70000"), "cluster.port");
    assertKey(Map.of("TENANTRY_CLUSTER_NAME", "a b"), "cluster.name");
    assertKey(Map.of("TENANTRY_CLUSTER_HOST", "node1.example.com"), "cluster.host");
  }

  @Test
  void multicastNeedsNoMemberList() {
    ClusterSettings cluster = ConfigLoader.load(null,
      Map.of("TENANTRY_CLUSTER_MULTICAST", "true", "TENANTRY_CLUSTER_MEMBERS", ""), Map.of()).cluster();
    assertThat(cluster.multicast()).isTrue();
    assertThat(cluster.members()).isEmpty();
  }

  private static void assertKey(Map<String, String> env, String key) {
    assertThatThrownBy(() -> ConfigLoader.load(null, env, Map.of()))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo(key);
  }
}

package io.tenantry.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** storage.backend, storage.s3.* and storage.stores: defaults, a YAML file, a flag, and refusals naming the key. */
class StorageConfigTest {
  private static Config with(Map<String, String> flags) {
    return ConfigLoader.load(null, Map.of(), flags);
  }

  /** The refusal's key and message, as one string to assert on. */
  private static String refusal(Map<String, String> flags) {
    try {
      with(flags);
    } catch (ConfigException e) {
      return e.key() + ": " + e.getMessage();
    }
    throw new AssertionError("accepted: " + flags);
  }

  @Test
  void localAndNoOtherStoreByDefault() {
    Config.StorageSettings storage = with(Map.of()).storage();
    assertThat(storage.backend()).isEqualTo("local");
    assertThat(storage.s3().configured()).isFalse();
    assertThat(storage.stores()).isEmpty();
  }

  @Test
  void s3AsTheBackendNeedsItsEndpointAndCredentials() {
    assertThat(refusal(Map.of("storage.backend", "s3"))).startsWith("storage.backend: ");
    assertThat(refusal(Map.of("storage.backend", "s3", "storage.s3.endpoint", "http://127.0.0.1:9000",
      "storage.s3.bucket", "files"))).startsWith("storage.s3.access-key: ");
    Config.StorageSettings storage = with(Map.of("storage.backend", "s3", "storage.s3.endpoint", "http://127.0.0.1:9000",
      "storage.s3.bucket", "files", "storage.s3.access-key", "k", "storage.s3.secret-key", "s")).storage();
    assertThat(storage.backend()).isEqualTo("s3");
    assertThat(storage.s3().pathStyle()).isTrue();
    assertThat(storage.s3().prefix()).isEqualTo("tenantry");
    assertThat(refusal(Map.of("storage.backend", "ftp"))).contains("local or s3");
  }

  @Test
  void namedStoresFromAYamlFile() throws Exception {
    Path file = Files.createTempFile("tenantry", ".yaml");
    Files.writeString(file, """
      storage:
        stores:
          - name: regulated
            endpoint: https://s3.eu-central-1.amazonaws.com
            region: eu-central-1
            bucket: acme-regulated
            access-key: AKIA
            secret-key: secret
            path-style: false
            tenants: [acme]
      """);
    Config.NamedStore store = ConfigLoader.load(file, Map.of(), Map.of()).storage().stores().get(0);
    Files.delete(file);
    assertThat(store.name()).isEqualTo("regulated");
    assertThat(store.s3().region()).isEqualTo("eu-central-1");
    assertThat(store.s3().pathStyle()).isFalse();
    assertThat(store.s3().prefix()).isEqualTo("tenantry");
    assertThat(store.tenants()).isEqualTo(List.of("acme"));
  }

  @Test
  void namedStoresAreCheckedEntryByEntry() {
    String ok = "{\"name\": \"eu\", \"endpoint\": \"http://127.0.0.1:9000\", \"bucket\": \"eu-files\", "
      + "\"access-key\": \"k\", \"secret-key\": \"s\"}";
    assertThat(with(Map.of("storage.stores", "[" + ok + "]")).storage().stores()).hasSize(1);
    assertThat(refusal(Map.of("storage.stores", "[" + ok + ", " + ok + "]")))
      .startsWith("storage.stores[1].name: ").contains("twice");
    assertThat(refusal(Map.of("storage.stores", "[" + ok.replace("\"eu\"", "\"s3\"") + "]")))
      .startsWith("storage.stores[0].name: ");
    assertThat(refusal(Map.of("storage.stores", "[" + ok.replace("eu-files", "Bad_Bucket") + "]")))
      .startsWith("storage.stores[0].bucket: ");
    assertThat(refusal(Map.of("storage.stores", "[{\"name\": \"x\", \"colour\": \"red\"}]")))
      .startsWith("storage.stores[0].colour: ");
    assertThat(refusal(Map.of("storage.stores", "{\"name\": \"x\"}"))).contains("list");
  }
}

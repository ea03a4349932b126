package io.tenantry.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void defaultsComeFromTheShippedYaml() {
    Config config = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dbName()).isEqualTo("tenantry");
    assertThat(config.ownerRole()).isEqualTo("tenantry_owner");
    assertThat(config.appRole()).isEqualTo("tenantry_app");
    assertThat(config.profile()).isEqualTo(Config.Profile.PROD);
    assertThat(config.bodyLimit()).isEqualTo(1024 * 1024);
    assertThat(config.dbTenantContext()).isEqualTo("statement");
  }

  @Test
  void prodListsOnEveryAddressAndDrainsBeforeStopping() {
    Config config = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.shutdownDrainMs()).isEqualTo(5000);
  }

  @Test
  void devListensOnLoopbackAndStopsWithoutDraining() {
    Config flag = ConfigLoader.load(null, Map.of(), Map.of("profile", "dev"));
    assertThat(flag.httpHost()).isEqualTo("127.0.0.1");
    assertThat(flag.shutdownDrainMs()).isZero();
    Config env = ConfigLoader.load(null, Map.of("TENANTRY_PROFILE", "dev"), Map.of());
    assertThat(env.httpHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void devDefaultsGiveWayToWhatIsConfigured() throws Exception {
    Path file = Files.createTempFile("tenantry", ".yaml");
    Files.writeString(file, "http:\n  host: 0.0.0.0\n");
    assertThat(ConfigLoader.load(Path.of("conf/tenantry.yaml"), Map.of(), Map.of("profile", "dev")).httpHost())
      .as("the shipped file, read from ./conf when the server starts in the repository").isEqualTo("127.0.0.1");
    Config fromFile = ConfigLoader.load(file, Map.of(), Map.of("profile", "dev"));
    assertThat(fromFile.httpHost()).isEqualTo("0.0.0.0");
    Config fromEnv = ConfigLoader.load(null, Map.of("TENANTRY_SHUTDOWN_DRAIN_MS", "250"), Map.of("profile", "dev"));
    assertThat(fromEnv.shutdownDrainMs()).isEqualTo(250);
    assertThat(fromEnv.httpHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void environmentOverridesFileAndFlagsOverrideEnvironment() throws Exception {
    Path file = Files.createTempFile("tenantry", ".yaml");
    Files.writeString(file, "http:\n  port: 7000\ndb:\n  name: fromfile\n");
    Config fileOnly = ConfigLoader.load(file, Map.of(), Map.of());
    assertThat(fileOnly.httpPort()).isEqualTo(7000);
    assertThat(fileOnly.dbName()).isEqualTo("fromfile");
    Config env = ConfigLoader.load(file, Map.of("TENANTRY_HTTP_PORT", "7100", "TENANTRY_DB_NAME", "fromenv"), Map.of());
    assertThat(env.httpPort()).isEqualTo(7100);
    assertThat(env.dbName()).isEqualTo("fromenv");
    Config flag = ConfigLoader.load(file, Map.of("TENANTRY_HTTP_PORT", "7100"), Map.of("http.port", "7200"));
    assertThat(flag.httpPort()).isEqualTo(7200);
  }

  @Test
  void theDocumentedEnvironmentVariablesAllWork() {
    Config c = ConfigLoader.load(null, Map.of(
      "TENANTRY_HTTP_PORT", "9001",
      "TENANTRY_DB_HOST", "db.internal",
      "TENANTRY_DB_PORT", "6543",
      "TENANTRY_DB_NAME", "staging",
      "TENANTRY_DB_ADMIN_URL", "postgresql://boss:s%40cret@db.internal:6543/template1",
      "TENANTRY_REDIS_URL", "redis://cache:6380",
      "TENANTRY_DATA_DIR", "/var/lib/tenantry",
      "TENANTRY_BASE_DOMAIN", "api.example.com",
      "TENANTRY_ADMIN_EMAIL", "ops@example.com",
      "TENANTRY_ADMIN_PASSWORD", "a-long-password"), Map.of());
    assertThat(c.httpPort()).isEqualTo(9001);
    assertThat(c.dbHost()).isEqualTo("db.internal");
    assertThat(c.dbPort()).isEqualTo(6543);
    assertThat(c.dbName()).isEqualTo("staging");
    assertThat(c.dbAdminUrl()).isEqualTo(new PgUrl("db.internal", 6543, "template1", "boss", "s@cret"));
    assertThat(c.redisUrl()).isEqualTo("redis://cache:6380");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/tenantry"));
    assertThat(c.baseDomain()).isEqualTo("api.example.com");
    assertThat(c.adminEmail()).isEqualTo("ops@example.com");
    assertThat(c.adminPassword()).isEqualTo("a-long-password");
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("TENANTRY_HTTP_PORT", "99999"), Map.of()))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("http.port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("db.name", "x;drop")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("db.name");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("redis.url", "http://x")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("redis.url");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("db.admin-url", "mysql://x")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("db.admin-url");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("profile", "staging")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("profile");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("auth.password-iterations", "100")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("auth.password-iterations");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("db.tenant-context", "session")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("db.tenant-context");
    assertThat(ConfigLoader.load(null, Map.of("TENANTRY_DB_TENANT_CONTEXT", "transaction"), Map.of()).dbTenantContext())
      .isEqualTo("transaction");
  }

  @Test
  void unknownKeysInTheFileAreRefused() throws Exception {
    Path file = Files.createTempFile("tenantry", ".yaml");
    Files.writeString(file, "http:\n  prot: 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("http.prot");
  }

  @Test
  void rateLimitKeysHaveDefaultsTakeOverridesAndNameTheKeyWhenWrong() {
    Config c = ConfigLoader.load(null, Map.of("TENANTRY_RATELIMIT_NODES", "3"), Map.of("ratelimit.lease-max", "5"));
    assertThat(c.rateLimit()).isEqualTo(new Config.RateLimitSettings(3, 5, 1000, 100, 3, 1000, 500));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("ratelimit.nodes", "0")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("ratelimit.nodes");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("ratelimit.refresh-ms", "soon")))
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("ratelimit.refresh-ms");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("redis.key-prefix", "app:{x}:")))
      .as("a brace would become the hash tag of every key")
      .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("redis.key-prefix");
  }

  @Test
  void theOneLineMessageNamesKeyAndVariable() {
    ConfigException e = new ConfigException("db.admin-url", "is required");
    assertThat(e.oneLine()).isEqualTo("configuration error: db.admin-url (TENANTRY_DB_ADMIN_URL): is required");
  }
}

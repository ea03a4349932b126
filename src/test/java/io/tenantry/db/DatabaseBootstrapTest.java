package io.tenantry.db;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.pool.PoolFactory;
import io.tenantry.server.TenantryServer;
import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** First start creates database, roles and schema; a second start changes nothing; the roles are safe. */
class DatabaseBootstrapTest {
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static Connection admin() throws SQLException {
    return TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
  }

  private static String one(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aSecondStartIsANoOpAndServesTheSameData() throws SQLException {
    String token = ts.adminToken();
    ts.createTenant(token, "survivor");
    String history = "SELECT string_agg(version || ':' || checksum || ':' || success, ',' ORDER BY installed_rank) "
      + "FROM platform.flyway_schema_history WHERE type = 'SQL'";
    String before;
    try (Connection c = admin(); Statement st = c.createStatement()) {
      before = one(st, history);
    }
    ts.restart();
    try (Connection c = admin(); Statement st = c.createStatement()) {
      assertThat(one(st, history)).isEqualTo(before).doesNotContain("false");
      assertThat(one(st, "SELECT count(*) FROM platform.users WHERE super_admin")).isEqualTo("1");
    }
    assertThat(ts.api.get("/admin/v1/tenants/survivor", ts.adminToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void rolesAreNamedAfterTheDatabase() throws SQLException {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      assertThat(one(st, "SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()"))
        .isEqualTo(ts.config.dbName() + "_owner");
      assertThat(one(st, "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = '" + ts.config.dbName() + "_owner'")).isEqualTo("false");
      assertThat(one(st, "SELECT rolcanlogin::text FROM pg_roles WHERE rolname = '" + ts.config.dbName() + "_app'")).isEqualTo("true");
    }
  }

  @Test
  void theRuntimeRoleIsNeitherSuperuserNorBypassRlsAndOwnsNothing() throws SQLException {
    String app = ts.config.appRole();
    try (Connection c = admin(); Statement st = c.createStatement()) {
      assertThat(one(st, "SELECT rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = '" + app + "'"))
        .isEqualTo("f");
      assertThat(one(st, "SELECT count(*) FROM pg_class WHERE relowner = '" + app + "'::regrole")).isEqualTo("0");
      assertThat(one(st, "SELECT count(*) FROM pg_namespace WHERE nspowner = '" + app + "'::regrole")).isEqualTo("0");
      assertThat(one(st, "SELECT count(*) FROM pg_proc WHERE proowner = '" + app + "'::regrole")).isEqualTo("0");
      assertThat(one(st, "SELECT has_table_privilege('" + app + "', 'shared.records', 'TRUNCATE')")).isEqualTo("f");
      assertThat(one(st, "SELECT has_table_privilege('" + app + "', 'platform.flyway_schema_history', 'SELECT')")).isEqualTo("f");
      assertThat(one(st, "SELECT has_schema_privilege('" + app + "', 'shared', 'CREATE')")).isEqualTo("f");
      assertThat(one(st, "SELECT has_schema_privilege('" + app + "', 'public', 'CREATE')")).isEqualTo("f");
    }
  }

  @Test
  void theRuntimeRolesSessionsUseGenericPlans() {
    Pool pool = new PoolFactory(ts.vertx, ts.config).platform();
    try {
      String mode = Await.result(pool.query("SHOW plan_cache_mode").execute(), 10).iterator().next().getString(0);
      assertThat(mode).isEqualTo("force_generic_plan");
    } finally {
      Await.result(pool.close(), 10);
    }
  }

  @Test
  void theSharedRecordsTableHasForcedRowLevelSecurityWithUsingAndCheck() throws SQLException {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      assertThat(one(st, "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'shared.records'::regclass")).isEqualTo("t");
      assertThat(one(st, "SELECT count(*) FROM pg_policies WHERE schemaname = 'shared' AND tablename = 'records' "
        + "AND qual IS NOT NULL AND with_check IS NOT NULL AND qual <> 'true'")).isEqualTo("1");
    }
  }

  @Test
  void prodRefusesToStartWithoutJwtKeysOrAdminCredentials() throws Exception {
    Config noKeys = TestServer.config(Map.of("profile", "prod", "admin.email", "", "admin.password", "",
      "auth.password-iterations", "10000"));
    assertThat(startFails(noKeys).key()).isEqualTo("auth.jwt-private-key-file");

    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var pair = generator.generateKeyPair();
    Path dir = Files.createTempDirectory("tenantry-keys");
    Path priv = Files.writeString(dir.resolve("private.pem"), io.tenantry.auth.JwtKeysPem.privatePem(pair));
    Path pub = Files.writeString(dir.resolve("public.pem"), io.tenantry.auth.JwtKeysPem.publicPem(pair));
    Config noAdmin = TestServer.config(Map.of("profile", "prod", "admin.email", "", "admin.password", "",
      "auth.jwt-private-key-file", priv.toString(), "auth.jwt-public-key-file", pub.toString(),
      "auth.password-iterations", "10000"));
    assertThat(startFails(noAdmin).key()).isEqualTo("admin.email");

    Config shortPassword = TestServer.config(Map.of("profile", "prod", "admin.email", "ops@example.com", "admin.password", "short",
      "auth.jwt-private-key-file", priv.toString(), "auth.jwt-public-key-file", pub.toString(),
      "auth.password-iterations", "10000", "db.name", noAdmin.dbName()));
    assertThat(startFails(shortPassword).key()).isEqualTo("admin.password");
  }

  private static ConfigException startFails(Config config) {
    Vertx vertx = Vertx.vertx();
    try {
      Future<TenantryServer> started = TenantryServer.start(vertx, config);
      Exception e = assertThrows(Exception.class, () -> started.await(60, TimeUnit.SECONDS));
      assertThat(e).isInstanceOf(ConfigException.class);
      return (ConfigException) e;
    } finally {
      vertx.close();
      TestEnv.dropDatabase(config.dbName(), config.ownerRole(), config.appRole());
    }
  }
}

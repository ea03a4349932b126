package io.tenantry.pool;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.tenantry.tenant.DbTarget;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow statement is cancelled by PostgreSQL after the statement timeout (the pool's, or the tenant's own) and
 * answered 503, and the connection it ran on serves the next requests. Statements are made slow deterministically:
 * an ACCESS EXCLUSIVE lock taken from outside makes every statement on the records table wait (lock waits count
 * towards statement_timeout), so nothing depends on how fast the machine is.
 */
class StatementTimeoutTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  /** Far above the timeouts under test: a request reaching it means the timeout under test did not apply. */
  private static final Duration PROMPT = Duration.ofSeconds(6);

  private static Connection lockTable(String database, String table) throws SQLException {
    Connection c = TestEnv.connect(database, TestEnv.adminUser());
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }

  private static void assertCancelledPromptly(Instant start, HttpResponse<Buffer> r) {
    JsonObject problem = assertProblem(r, 503);
    assertThat(problem.getString("detail")).contains("statement timeout");
    assertThat(r.getHeader("Retry-After")).isNotNull();
    assertThat(Duration.between(start, Instant.now())).isLessThan(PROMPT);
  }

  private static String setting(TestServer ts, String role, String name) throws SQLException {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
           + "WHERE r.rolname = '" + role + "' AND s.setdatabase = 0")) {
      while (rs.next()) {
        if (rs.getString(1).startsWith(name + "=")) {
          return rs.getString(1).substring(name.length() + 1);
        }
      }
      return null;
    }
  }

  /** idle_in_transaction_session_timeout and statement_timeout as a pool's connection has them (the startup parameters). */
  private static List<String> connectionSettings(TestServer ts, Integer tenantTimeout) {
    Pool pool = new PoolFactory(ts.vertx, ts.config)
      .dedicated(new DbTarget(ts.config.dbHost(), ts.config.dbPort(), ts.config.dbName()), tenantTimeout);
    try {
      List<String> settings = new ArrayList<>();
      pool.query("SELECT setting FROM pg_settings WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout') "
        + "ORDER BY name").execute().await(10, TimeUnit.SECONDS).forEach(row -> settings.add(row.getString(0)));
      return settings;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.close();
    }
  }

  @Test
  void theDefaultTimeoutCancelsASlowStatementAndTheConnectionsServeAgain() throws SQLException {
    try (TestServer ts = TestServer.start(Map.of("db.statement-timeout-ms", "300",
      "db.idle-in-transaction-timeout-ms", "2500", "db.pool-size", "4"))) {
      String member = ts.tenantWithUser(ts.adminToken(), "slowpoke", "member");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(ts.api.post(NOTES, member, new JsonObject().put("n", i)).bodyAsJsonObject().getString("id"));
      }
      assertThat(setting(ts, ts.config.appRole(), "statement_timeout")).isEqualTo("300");
      assertThat(setting(ts, ts.config.appRole(), "idle_in_transaction_session_timeout")).isEqualTo("2500");
      assertThat(connectionSettings(ts, null)).containsExactly("2500", "300");
      assertThat(connectionSettings(ts, 1234)).containsExactly("2500", "1234");

      try (Connection locker = lockTable(ts.config.dbName(), "shared.records")) {
        for (int i = 0; i < 4; i++) { // more than any one loop's share of the pool: every connection gets cancelled
          Instant start = Instant.now();
          assertCancelledPromptly(start, ts.api.get(NOTES + "?limit=500", member));
          start = Instant.now();
          assertCancelledPromptly(start, ts.api.patch(NOTES + "/" + ids.get(0), member, new JsonObject().put("p", i), null));
        }
        locker.rollback();
      }
      for (int i = 0; i < 8; i++) {
        HttpResponse<Buffer> list = ts.api.get(NOTES + "?limit=500", member);
        assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
        assertThat(list.bodyAsJsonObject().getJsonArray("items")).hasSize(3);
        HttpResponse<Buffer> patched = ts.api.patch(NOTES + "/" + ids.get(i % 3), member, new JsonObject().put("p", i), null);
        assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
      }
    }
  }

  @Test
  void aTenantsOwnTimeoutAppliesToItsTransactionsAndItsDedicatedPool() throws SQLException {
    try (TestServer ts = TestServer.start(Map.of("db.statement-timeout-ms", "20000"))) {
      String admin = ts.adminToken();
      String shared = ts.tenantWithUser(admin, "hasty", "member");
      String id = ts.api.post(NOTES, shared, new JsonObject().put("n", 1)).bodyAsJsonObject().getString("id");
      HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", admin,
        new JsonObject().put("slug", "hasty-db").put("name", "hasty-db").put("isolation", "database"));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String database = created.bodyAsJsonObject().getJsonObject("database").getString("name");
      ts.addUser(admin, "hasty-db", "member@hasty-db.test", "member");
      String dedicated = ts.api.token("member@hasty-db.test", "password-of-member@hasty-db.test", "hasty-db");
      assertThat(ts.api.post(NOTES, dedicated, new JsonObject().put("n", 1)).statusCode()).isEqualTo(201); // opens its pool

      for (String slug : List.of("hasty", "hasty-db")) {
        HttpResponse<Buffer> set = ts.api.put("/admin/v1/tenants/" + slug + "/timeouts", admin,
          new JsonObject().put("statement_timeout_ms", 300), null);
        assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
        assertThat(set.bodyAsJsonObject().getInteger("statement_timeout_ms")).isEqualTo(300);
        assertThat(ts.api.get("/admin/v1/tenants/" + slug, admin).bodyAsJsonObject().getInteger("statement_timeout_ms"))
          .isEqualTo(300);
      }

      try (Connection locker = lockTable(ts.config.dbName(), "shared.records")) {
        Instant start = Instant.now();
        assertCancelledPromptly(start, ts.api.patch(NOTES + "/" + id, shared, new JsonObject().put("p", 1), null));
        locker.rollback();
      }
      try (Connection locker = lockTable(database, "tenant.records")) {
        Instant start = Instant.now();
        assertCancelledPromptly(start, ts.api.get(NOTES, dedicated));
        locker.rollback();
      }
      assertThat(ts.api.patch(NOTES + "/" + id, shared, new JsonObject().put("p", 2), null).statusCode()).isEqualTo(200);
      assertThat(ts.api.get(NOTES, dedicated).bodyAsJsonObject().getJsonArray("items")).hasSize(1);

      HttpResponse<Buffer> cleared = ts.api.put("/admin/v1/tenants/hasty/timeouts", admin,
        new JsonObject().putNull("statement_timeout_ms"), null);
      assertThat(cleared.statusCode()).as(cleared.bodyAsString()).isEqualTo(200);
      assertThat(ts.api.get("/admin/v1/tenants/hasty", admin).bodyAsJsonObject().containsKey("statement_timeout_ms")).isFalse();
    }
  }

  @Test
  void inTransactionModeATenantsOwnTimeoutAppliesToSingleStatementsToo() throws SQLException {
    try (TestServer ts = TestServer.start(Map.of("db.statement-timeout-ms", "20000", "db.tenant-context", "transaction"))) {
      String admin = ts.adminToken();
      String member = ts.tenantWithUser(admin, "brisk", "member");
      ts.api.post(NOTES, member, new JsonObject().put("n", 1));
      assertThat(ts.api.put("/admin/v1/tenants/brisk/timeouts", admin, new JsonObject().put("statement_timeout_ms", 300), null)
        .statusCode()).isEqualTo(200);
      try (Connection locker = lockTable(ts.config.dbName(), "shared.records")) {
        Instant start = Instant.now();
        assertCancelledPromptly(start, ts.api.get(NOTES, member));
        locker.rollback();
      }
      assertThat(ts.api.get(NOTES, member).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    }
  }

  @Test
  void onlyASuperAdminSetsATimeoutAndOnlyASensibleOne() {
    try (TestServer ts = TestServer.start()) {
      String admin = ts.adminToken();
      ts.createTenant(admin, "gamma");
      ts.addUser(admin, "gamma", "boss@gamma.test", "tenant_admin");
      String boss = ts.api.token("boss@gamma.test", "password-of-boss@gamma.test", "gamma");
      String path = "/admin/v1/tenants/gamma/timeouts";
      assertProblem(ts.api.put(path, boss, new JsonObject().put("statement_timeout_ms", 100_000), null), 403);
      for (Object bad : List.of(0, -5, 3_600_001, "300", 1.5)) {
        assertProblem(ts.api.put(path, admin, new JsonObject().put("statement_timeout_ms", bad), null), 400);
      }
      assertProblem(ts.api.put(path, admin, new JsonObject(), null), 400);
      assertProblem(ts.api.put("/admin/v1/tenants/no-such/timeouts", admin,
        new JsonObject().put("statement_timeout_ms", 300), null), 404);
      assertThat(ts.api.get("/admin/v1/tenants/gamma", admin).bodyAsJsonObject().containsKey("statement_timeout_ms")).isFalse();
    }
  }
}

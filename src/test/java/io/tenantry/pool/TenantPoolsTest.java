package io.tenantry.pool;

import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A noisy tenant cannot take every connection; database-tier pools stay within the connection budget. Requests
 * are held deterministically by a row lock taken from outside (no timing guesses): a PATCH waits on the lock
 * while holding its tenant's place or pool.
 */
class TenantPoolsTest {
  private static final String NOTES = "/api/v1/collections/notes/records";

  private static HttpResponse<Buffer> as(TestServer ts, String admin, HttpMethod method, String path, String tenant, JsonObject body) {
    var request = ts.api.request(method, path, admin).putHeader("X-Tenant-ID", tenant);
    return body == null ? ts.api.send(request) : ts.api.send(request, body);
  }

  /** Starts a PATCH that blocks on a row lock; the caller must commit {@code locker} to let it finish. */
  private static Future<HttpResponse<Buffer>> blockedPatch(TestServer ts, String admin, String tenant, String id) {
    return ts.api.request(HttpMethod.PATCH, NOTES + "/" + id, admin).putHeader("X-Tenant-ID", tenant)
      .sendJsonObject(new JsonObject().put("patched", true));
  }

  private static Connection lockRow(String database, String table, String id) throws SQLException {
    Connection c = TestEnv.connect(database, TestEnv.adminUser());
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1 FROM " + table + " WHERE id = '" + id + "' FOR UPDATE");
    }
    return c;
  }

  private static JsonObject awaitStats(TestServer ts, String admin, Predicate<JsonObject> condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    JsonObject stats;
    do {
      stats = ts.api.get("/admin/v1/pools", admin).bodyAsJsonObject();
      if (condition.test(stats)) {
        return stats;
      }
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("pool state not reached: " + stats.encode());
  }

  @Test
  void aNoisyTenantWaitsBoundedThenGets503WhileOthersAreServed() throws SQLException {
    // 6 connections: 3 and 2 for the two loops, so the noisy tenant's one place never holds a whole loop's share.
    try (TestServer ts = TestServer.start(Map.of("tenancy.max-concurrent-per-tenant", "1", "tenancy.queue-timeout-ms", "300",
      "db.pool-size", "6"))) {
      String admin = ts.adminToken();
      ts.createTenant(admin, "noisy");
      ts.createTenant(admin, "quiet");
      String id = as(ts, admin, HttpMethod.POST, NOTES, "noisy", new JsonObject().put("n", 1)).bodyAsJsonObject().getString("id");
      as(ts, admin, HttpMethod.POST, NOTES, "quiet", new JsonObject().put("q", 1));

      Connection locker = lockRow(ts.config.dbName(), "shared.records", id);
      Future<HttpResponse<Buffer>> holder = blockedPatch(ts, admin, "noisy", id);
      awaitStats(ts, admin, s -> s.getJsonObject("platform_pool").getInteger("running_under_cap") == 1);

      HttpResponse<Buffer> refused = as(ts, admin, HttpMethod.GET, NOTES, "noisy", null);
      assertProblem(refused, 503);
      assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
      for (int i = 0; i < 5; i++) {
        assertThat(as(ts, admin, HttpMethod.GET, NOTES, "quiet", null).statusCode()).isEqualTo(200);
      }
      assertThat(ts.api.get("/admin/v1/pools", admin).bodyAsJsonObject().getJsonObject("platform_pool").getLong("rejected"))
        .isGreaterThanOrEqualTo(1);

      locker.commit();
      locker.close();
      assertThat(Await.result(holder).statusCode()).isEqualTo(200);
      assertThat(as(ts, admin, HttpMethod.GET, NOTES, "noisy", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aWaitingRequestGetsThePlaceWhenItFreesUp() throws SQLException {
    try (TestServer ts = TestServer.start(Map.of("tenancy.max-concurrent-per-tenant", "1", "tenancy.queue-timeout-ms", "20000"))) {
      String admin = ts.adminToken();
      ts.createTenant(admin, "patient");
      String id = as(ts, admin, HttpMethod.POST, NOTES, "patient", new JsonObject()).bodyAsJsonObject().getString("id");
      Connection locker = lockRow(ts.config.dbName(), "shared.records", id);
      Future<HttpResponse<Buffer>> holder = blockedPatch(ts, admin, "patient", id);
      awaitStats(ts, admin, s -> s.getJsonObject("platform_pool").getInteger("running_under_cap") == 1);
      Future<HttpResponse<Buffer>> waiter = ts.api.request(HttpMethod.GET, NOTES, admin).putHeader("X-Tenant-ID", "patient").send();
      awaitStats(ts, admin, s -> s.getJsonObject("platform_pool").getInteger("waiting") == 1);
      locker.commit();
      locker.close();
      assertThat(Await.result(holder).statusCode()).isEqualTo(200);
      assertThat(Await.result(waiter).statusCode()).isEqualTo(200);
      JsonObject pool = ts.api.get("/admin/v1/pools", admin).bodyAsJsonObject().getJsonObject("platform_pool");
      assertThat(pool.getLong("queued_total")).isEqualTo(1); // the waiter; the holder got its place at once
      assertThat(pool.getInteger("waiting")).isZero();
    }
  }

  @Test
  void databaseTierPoolsStayWithinTheBudgetAndCloseWhenIdle() throws SQLException {
    // Budget: the platform pool (4) plus exactly one dedicated pool (2).
    try (TestServer ts = TestServer.start(Map.of("db.pool-size", "4", "tenancy.dedicated-pool-size", "2",
      "db.connection-budget", "6", "tenancy.dedicated-pool-idle-seconds", "1"))) {
      String admin = ts.adminToken();
      List<String> databases = new ArrayList<>();
      for (String slug : List.of("own-one", "own-two")) {
        JsonObject t = ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", slug).put("name", slug)
          .put("isolation", "database")).bodyAsJsonObject();
        databases.add(t.getJsonObject("database").getString("name"));
      }
      String id = as(ts, admin, HttpMethod.POST, NOTES, "own-one", new JsonObject()).bodyAsJsonObject().getString("id");
      // The idle pool of own-one makes room for own-two.
      assertThat(as(ts, admin, HttpMethod.GET, NOTES, "own-two", null).statusCode()).isEqualTo(200);
      JsonObject afterSwap = ts.api.get("/admin/v1/pools", admin).bodyAsJsonObject().getJsonObject("dedicated_pools");
      assertThat(afterSwap.getInteger("open")).isEqualTo(1);
      assertThat(afterSwap.getInteger("max")).isEqualTo(1);

      // A busy pool is not taken away: own-two is refused until own-one's request ends.
      Connection locker = lockRow(databases.get(0), "tenant.records", id);
      Future<HttpResponse<Buffer>> holder = blockedPatch(ts, admin, "own-one", id);
      awaitStats(ts, admin, s -> s.getJsonObject("tiers").getJsonObject("database").getInteger("in_flight") == 1);
      HttpResponse<Buffer> refused = as(ts, admin, HttpMethod.GET, NOTES, "own-two", null);
      assertProblem(refused, 503);
      assertThat(refused.getHeader("Retry-After")).isNotNull();
      assertThat(appConnections(ts)).isLessThanOrEqualTo(6);
      locker.commit();
      locker.close();
      assertThat(Await.result(holder).statusCode()).isEqualTo(200);

      // Idle pools close by themselves.
      awaitStats(ts, admin, s -> s.getJsonObject("dedicated_pools").getInteger("open") == 0);
    }
  }

  private static int appConnections(TestServer ts) throws SQLException {
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser()); Statement st = c.createStatement();
         var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ts.config.appRole() + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}

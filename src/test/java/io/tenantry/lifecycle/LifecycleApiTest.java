package io.tenantry.lifecycle;

import io.tenantry.admin.HierarchyTestSupport;
import io.tenantry.support.RedisScan;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The tenant lifecycle over HTTP, in every tier (docs/tenants.md#lifecycle). */
class LifecycleApiTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static final String TENANTS = "/admin/v1/tenants/";
  private static final int GRACE_SECONDS = 6;
  private static TestServer ts;
  private static String superAdmin;
  private static Redis redis;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("tenancy.delete-grace-seconds", Integer.toString(GRACE_SECONDS)));
    superAdmin = ts.adminToken();
    redis = Redis.createClient(ts.vertx, ts.config.redisUrl());
  }

  @AfterAll
  static void stop() {
    redis.close();
    ts.close();
  }

  /** A tenant of the tier with a member and two notes; returns {id, member token, database or null}. */
  private static String[] tenant(String slug, String tier) {
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String email = "m@" + slug + ".test";
    ts.addUser(superAdmin, slug, email, "member");
    String token = ts.api.token(email, "password-of-" + email, slug);
    for (int i = 0; i < 2; i++) {
      assertThat(ts.api.post(NOTES, token, new JsonObject().put("owner", slug).put("n", i)).statusCode()).isEqualTo(201);
    }
    JsonObject db = created.bodyAsJsonObject().getJsonObject("database");
    return new String[] {created.bodyAsJsonObject().getString("id"), token, db == null ? null : db.getString("name")};
  }

  private static HttpResponse<Buffer> move(String slug, String move, String token) {
    return move.equals("delete") ? ts.api.delete(TENANTS + slug, token, null)
      : ts.api.post(TENANTS + slug + "/" + move, token, new JsonObject());
  }

  private static String status(String slug) {
    return ts.api.get(TENANTS + slug, superAdmin).bodyAsJsonObject().getString("status");
  }

  private static void assertMoved(String slug, String move, String to) {
    HttpResponse<Buffer> r = move(slug, move, superAdmin);
    assertThat(r.statusCode()).as(move + " " + r.bodyAsString()).isEqualTo(move.equals("delete") ? 204 : 200);
    assertThat(status(slug)).isEqualTo(to);
  }

  private static void assertIllegal(String slug, String move, String from, String allowed) {
    JsonObject problem = assertProblem(move(slug, move, superAdmin), 409);
    assertThat(problem.getString("type")).endsWith("illegal-transition");
    assertThat(problem.getString("detail")).contains("is " + from).contains("only from " + allowed);
    assertThat(status(slug)).isEqualTo(from);
  }

  private static JsonArray notes(String token) {
    HttpResponse<Buffer> list = ts.api.get(NOTES + "?limit=100", token);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    return list.bodyAsJsonObject().getJsonArray("items");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void everyTransitionIsCheckedAgainstTheCurrentState(String tier) {
    String slug = "moves-" + tier;
    tenant(slug, tier);
    assertIllegal(slug, "restore", "active", "archived or deleted");
    assertMoved(slug, "archive", "archived");
    assertIllegal(slug, "archive", "archived", "active or suspended");
    assertMoved(slug, "restore", "active");
    assertThat(ts.api.post(TENANTS + slug + "/suspend", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    assertIllegal(slug, "restore", "suspended", "archived or deleted");
    assertMoved(slug, "archive", "archived");
    assertMoved(slug, "delete", "deleted");
    assertIllegal(slug, "archive", "deleted", "active or suspended");
    assertIllegal(slug, "delete", "deleted", "active or suspended or archived");
    assertMoved(slug, "restore", "archived");
    assertMoved(slug, "restore", "active");
    assertThat(ts.api.post(TENANTS + slug + "/suspend", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    assertMoved(slug, "delete", "deleted");
    assertMoved(slug, "restore", "suspended");
    assertThat(ts.api.post(TENANTS + slug + "/resume", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    assertMoved(slug, "delete", "deleted");
    assertMoved(slug, "restore", "active");
    assertProblem(move("no-such-tenant", "archive", superAdmin), 404);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void anArchivedTenantIsReadOnly(String tier) {
    String slug = "archived-" + tier;
    String[] t = tenant(slug, tier);
    JsonArray before = notes(t[1]);
    assertThat(before).hasSize(2);
    String id = before.getJsonObject(0).getString("id");
    assertMoved(slug, "archive", "archived");

    assertThat(notes(t[1])).isEqualTo(before);
    HttpResponse<Buffer> one = ts.api.get(NOTES + "/" + id, t[1]);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject().getJsonObject("data").getString("owner")).isEqualTo(slug);
    for (HttpResponse<Buffer> write : List.of(
      ts.api.post(NOTES, t[1], new JsonObject().put("n", 9)),
      ts.api.put(NOTES + "/" + id, t[1], new JsonObject().put("n", 9), null),
      ts.api.delete(NOTES + "/" + id, t[1], null),
      ts.api.post(TENANTS + slug + "/users", superAdmin,
        new JsonObject().put("email", "late@" + slug + ".test").put("password", "late-password-123").put("role", "member")))) {
      JsonObject problem = assertProblem(write, 403);
      assertThat(problem.getString("type")).endsWith("tenant-archived");
      assertThat(problem.getString("detail")).contains("archived");
    }
    assertThat(notes(t[1])).isEqualTo(before);

    assertMoved(slug, "restore", "active");
    assertThat(ts.api.post(NOTES, t[1], new JsonObject().put("n", 9)).statusCode()).isEqualTo(201);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void aDeletedTenantIsGoneAtOnceAndRestoredIntact(String tier) {
    String slug = "restored-" + tier;
    String[] t = tenant(slug, tier);
    JsonArray before = notes(t[1]);
    assertMoved(slug, "delete", "deleted");

    assertProblem(ts.api.get(NOTES, t[1]), 404);
    assertProblem(ts.api.post(NOTES, t[1], new JsonObject().put("n", 9)), 404);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.GET, NOTES, superAdmin).putHeader("X-Tenant-ID", slug)), 404);
    JsonObject reuse = assertProblem(ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier)), 409);
    assertThat(reuse.getString("detail")).contains(slug);

    assertMoved(slug, "restore", "active");
    assertThat(notes(t[1])).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void afterTheGracePeriodThePurgeRemovesEverything(String tier) throws SQLException {
    String slug = "purged-" + tier;
    String[] t = tenant(slug, tier);
    String schema = "t_" + t[0].replace("-", "");
    // never refused for its rate, yet every request moves its buckets' state a second ahead: the keys stay
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, TENANTS + slug + "/limits", superAdmin), new JsonObject()
      .put("rate", 1).put("burst", 1_000_000).put("user_rate", 1).put("user_burst", 1_000_000)).statusCode()).isEqualTo(200);
    assertThat(ts.api.post(NOTES, t[1], new JsonObject().put("n", 5)).statusCode()).isEqualTo(201);
    assertThat(keysOf(t[0])).as("rate-limit keys while served").isNotEmpty();
    assertMoved(slug, "delete", "deleted");
    assertProblem(ts.api.post("/admin/v1/tenants", superAdmin, new JsonObject().put("slug", slug).put("name", slug)), 409);

    Eventually.within(Duration.ofSeconds(GRACE_SECONDS + 30), "the purge of " + slug,
      () -> count("SELECT count(*) FROM platform.tenant_purges WHERE tenant_id = '" + t[0] + "'", ts.config.dbName()) == 1);
    assertThat(count("SELECT count(*) FROM platform.tenants WHERE id = '" + t[0] + "'", ts.config.dbName())).isZero();
    assertThat(count("SELECT count(*) FROM shared.records WHERE tenant_id = '" + t[0] + "'", ts.config.dbName())).isZero();
    assertThat(count("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'", ts.config.dbName())).isZero();
    if (t[2] != null) {
      assertThat(count("SELECT count(*) FROM pg_database WHERE datname = '" + t[2] + "'", "postgres")).isZero();
    }
    assertThat(keysOf(t[0])).isEmpty();
    assertProblem(move(slug, "restore", superAdmin), 404);
    // the slug is free again once the tenant is gone for good
    assertThat(ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier)).statusCode()).isEqualTo(201);
  }

  @Test
  void onlyASuperAdminOrAnAncestorsAdminMovesATenant() {
    String parentAdmin = ts.tenantWithUser(superAdmin, "perm-org", "tenant_admin");
    assertThat(HierarchyTestSupport.child(ts, superAdmin, "perm-kid", "perm-org").statusCode()).isEqualTo(201);
    String kidAdmin = userIn("perm-kid", "tenant_admin");
    String kidMember = userIn("perm-kid", "member");
    String strangerAdmin = ts.tenantWithUser(superAdmin, "perm-other", "tenant_admin");
    String kidNote = ts.api.post(NOTES, kidMember, new JsonObject().put("n", 1)).bodyAsJsonObject().getString("id");

    for (String move : List.of("archive", "restore", "delete")) {
      assertProblem(move("perm-kid", move, null), 401);
      String unknown = assertProblem(move("perm-nobody", move, strangerAdmin), 403).getString("detail");
      assertThat(assertProblem(move("perm-kid", move, strangerAdmin), 403).getString("detail")).isEqualTo(unknown);
      assertProblem(move("perm-kid", move, kidMember), 403);
      assertProblem(move("perm-kid", move, kidAdmin), 403);
      assertProblem(move("perm-org", move, parentAdmin), 403);
    }
    assertThat(status("perm-kid")).isEqualTo("active");
    assertThat(status("perm-org")).isEqualTo("active");

    HttpResponse<Buffer> archived = move("perm-kid", "archive", parentAdmin);
    assertThat(archived.statusCode()).as(archived.bodyAsString()).isEqualTo(200);
    assertThat(archived.bodyAsJsonObject().getString("status")).isEqualTo("archived");
    assertThat(archived.bodyAsJsonObject().containsKey("database")).isFalse();
    assertThat(move("perm-kid", "restore", parentAdmin).statusCode()).isEqualTo(200);
    assertThat(move("perm-kid", "delete", parentAdmin).statusCode()).isEqualTo(204);
    assertThat(move("perm-kid", "restore", parentAdmin).statusCode()).isEqualTo(200);
    assertThat(move("perm-kid", "archive", superAdmin).statusCode()).isEqualTo(200);
    assertThat(move("perm-kid", "restore", superAdmin).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(NOTES + "/" + kidNote, kidMember).statusCode()).isEqualTo(200);
    assertThat(notes(parentAdmin)).isNotNull();
  }

  private static String userIn(String slug, String role) {
    String email = role + "@" + slug + ".test";
    ts.addUser(superAdmin, slug, email, role);
    return ts.api.token(email, "password-of-" + email, slug);
  }

  private static long count(String sql, String database) {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tenant's keys in Redis, found as an operator would: SCAN over the test's own prefix. */
  private static List<String> keysOf(String tenantId) {
    return RedisScan.tenantKeys(redis, ts.config.redisKeyPrefix(), tenantId);
  }
}

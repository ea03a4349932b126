package io.tenantry.isolation;

import io.tenantry.support.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL through every string that reaches SQL — collection names, ids, cursors, slugs, JSON keys and values, login
 * fields — and attempts to change the tenant context (SET ROLE, RESET, set_config) through any of them.
 */
class InjectionAttacksTest extends AttackSuite {
  private static final List<String> PAYLOADS = List.of(
    "x' OR '1'='1",
    "x'; DROP TABLE shared.records; --",
    "x\"; SET ROLE postgres; --",
    "x'); SELECT set_config('app.tenant_id', NULL, false); --",
    "x'; RESET ALL; --",
    "x' UNION SELECT * FROM shared.records --",
    "x\\'; --");

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void assertIntact(Pairing p) throws SQLException {
    world.assertUnchanged(world.b(p));
    world.assertOnlyOwn(world.ts.api.get(NOTES + "?limit=500", world.a(p).memberToken()), world.a(p));
    try (Connection c = TestEnv.connect(world.ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT to_regclass('shared.records') IS NOT NULL")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void collectionNameInjection(Pairing p) throws SQLException {
    for (String payload : PAYLOADS) {
      String path = "/api/v1/collections/" + enc(payload) + "/records";
      assertProblem(world.ts.api.get(path, world.a(p).memberToken()), 400);
      assertProblem(world.ts.api.post(path, world.a(p).memberToken(), new JsonObject()), 400);
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void recordIdInjection(Pairing p) throws SQLException {
    for (String payload : PAYLOADS) {
      String path = NOTES + "/" + enc(payload);
      assertProblem(world.ts.api.get(path, world.a(p).memberToken()), 400);
      assertProblem(world.ts.api.put(path, world.a(p).memberToken(), new JsonObject(), null), 400);
      assertProblem(world.ts.api.delete(path, world.a(p).memberToken(), null), 400);
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void cursorInjection(Pairing p) throws SQLException {
    for (String payload : PAYLOADS) {
      String cursor = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("records:notes|" + payload).getBytes(StandardCharsets.UTF_8));
      assertProblem(world.ts.api.get(NOTES + "?cursor=" + cursor, world.a(p).memberToken()), 400);
      assertProblem(world.ts.api.get(NOTES + "?limit=" + enc(payload), world.a(p).memberToken()), 400);
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void slugInjectionInHeaderHostAndPath(Pairing p) throws SQLException {
    for (String payload : PAYLOADS) {
      var header = world.ts.api.request(HttpMethod.GET, NOTES, world.superAdmin).putHeader("X-Tenant-ID", payload);
      HttpResponse<Buffer> r = world.ts.api.send(header);
      assertThat(r.statusCode()).isIn(400, 404);
      assertNoLeak(r, world.b(p));
      HttpResponse<Buffer> path = world.ts.api.get("/t/" + enc(payload) + NOTES, world.superAdmin);
      assertThat(path.statusCode()).isIn(400, 404);
      assertNoLeak(path, world.b(p));
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void slugInjectionInAdminRoutes(Pairing p) throws SQLException {
    for (String payload : PAYLOADS) {
      String path = "/admin/v1/tenants/" + enc(payload);
      assertThat(world.ts.api.get(path, world.superAdmin).statusCode()).isIn(400, 404);
      assertThat(world.ts.api.post(path + "/users", world.a(p).adminToken(), new JsonObject()
        .put("email", "x@y.test").put("password", "long-enough-password").put("role", "member")).statusCode()).isIn(400, 403, 404);
      assertThat(world.ts.api.post(path + "/suspend", world.superAdmin, new JsonObject()).statusCode()).isIn(400, 404);
    }
    assertThat(world.ts.api.get("/admin/v1/tenants/" + world.b(p).slug(), world.superAdmin).bodyAsJsonObject()
      .getString("status")).isEqualTo("active");
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void jsonKeysAndValuesAreStoredVerbatim(Pairing p) throws SQLException {
    JsonObject hostile = new JsonObject().put("owner", world.a(p).slug());
    for (String payload : PAYLOADS) {
      hostile.put(payload, payload);
    }
    hostile.put("tenant", new JsonObject().put("'; SELECT set_config('app.tenant_id', '" + world.b(p).id() + "', false); --", 1));
    HttpResponse<Buffer> created = world.ts.api.post("/api/v1/collections/hostile/records", world.a(p).memberToken(), hostile);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(world.ts.api.get("/api/v1/collections/hostile/records/" + id, world.a(p).memberToken())
      .bodyAsJsonObject().getJsonObject("data")).isEqualTo(hostile);
    assertThat(world.ts.api.patch("/api/v1/collections/hostile/records/" + id, world.a(p).memberToken(), hostile, null)
      .statusCode()).isEqualTo(200);
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void contextChangesThroughRequestStringsHaveNoEffect(Pairing p) throws SQLException {
    String setB = "'); SELECT set_config('app.tenant_id', '" + world.b(p).id() + "', false); --";
    var request = world.ts.api.request(HttpMethod.GET, NOTES + "?limit=500", world.a(p).memberToken())
      .putHeader("X-Request-Id", "abc").putHeader("User-Agent", setB).putHeader("X-Forwarded-For", setB);
    HttpResponse<Buffer> r = world.ts.api.send(request);
    world.assertOnlyOwn(r, world.a(p));
    assertNoLeak(r, world.b(p));
    world.ts.api.post(NOTES + "?x=" + enc(setB), world.a(p).memberToken(), new JsonObject().put("owner", world.a(p).slug()).put("v", setB));
    world.assertOnlyOwn(world.ts.api.get(NOTES + "?limit=500", world.a(p).memberToken()), world.a(p));
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void loginFieldInjection(Pairing p) {
    for (String payload : PAYLOADS) {
      for (JsonObject body : List.of(
        new JsonObject().put("email", payload).put("password", payload),
        new JsonObject().put("email", "member@" + world.a(p).slug() + ".test").put("password", payload),
        new JsonObject().put("email", "member@" + world.a(p).slug() + ".test")
          .put("password", "password-of-member@" + world.a(p).slug() + ".test").put("tenant", payload))) {
        assertProblem(world.ts.api.post("/auth/token", null, body), 401);
      }
    }
  }
}

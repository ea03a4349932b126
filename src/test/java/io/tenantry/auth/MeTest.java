package io.tenantry.auth;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /auth/me: the caller's account and memberships as the database holds them, with any kind of token. */
class MeTest {
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
    ts.createTenant(admin, "north");
    ts.createTenant(admin, "south");
    ts.createTenant(admin, "east");
    ts.addUser(admin, "north", "pat@me.test", "tenant_admin");
    ts.addUser(admin, "south", "pat@me.test", "read_only");
    ts.addUser(admin, "east", "other@me.test", "member");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static Map<String, String> roles(HttpResponse<Buffer> me) {
    assertThat(me.statusCode()).as(me.bodyAsString()).isEqualTo(200);
    Map<String, String> roles = new HashMap<>();
    JsonArray list = me.bodyAsJsonObject().getJsonArray("memberships");
    list.forEach(m -> roles.put(((JsonObject) m).getString("slug"), ((JsonObject) m).getString("role")));
    return roles;
  }

  @Test
  void aTenantlessTokenSeesEveryMembership() {
    HttpResponse<Buffer> me = ts.api.get("/auth/me", ts.api.token("pat@me.test", "password-of-pat@me.test", null));
    assertThat(roles(me)).isEqualTo(Map.of("north", "tenant_admin", "south", "read_only"));
    JsonObject body = me.bodyAsJsonObject();
    assertThat(body.getString("email")).isEqualTo("pat@me.test");
    assertThat(body.getString("user_id")).isNotBlank();
    assertThat(body.getBoolean("super_admin")).isFalse();
    assertThat(body.getString("token_tenant_id")).isNull();
    assertThat(me.bodyAsString()).doesNotContain("password");
  }

  @Test
  void aTenantBoundTokenSeesTheSameAccountAndItsTenant() {
    HttpResponse<Buffer> me = ts.api.get("/auth/me", ts.api.token("pat@me.test", "password-of-pat@me.test", "south"));
    assertThat(roles(me)).isEqualTo(Map.of("north", "tenant_admin", "south", "read_only"));
    assertThat(me.bodyAsJsonObject().getString("token_tenant_id")).isNotNull();
  }

  @Test
  void aRoleChangeShowsAtOnceEvenForAnOlderToken() {
    ts.addUser(admin, "east", "sam@me.test", "member");
    String token = ts.api.token("sam@me.test", "password-of-sam@me.test", "east");
    String id = ts.api.get("/auth/me", token).bodyAsJsonObject().getString("user_id");
    assertThat(ts.api.send(ts.api.request(HttpMethod.PATCH, "/admin/v1/tenants/east/users/" + id, admin),
      new JsonObject().put("role", "read_only")).statusCode()).isEqualTo(200);
    assertThat(roles(ts.api.get("/auth/me", token))).isEqualTo(Map.of("east", "read_only"));
  }

  @Test
  void theSuperAdminIsSaidToBeOne() {
    HttpResponse<Buffer> me = ts.api.get("/auth/me", admin);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getBoolean("super_admin")).isTrue();
    assertThat(me.bodyAsJsonObject().getString("email")).isEqualTo(TestServer.ADMIN_EMAIL);
  }

  @Test
  void anonymousCallersAndBadTokensAreRefused() {
    assertProblem(ts.api.get("/auth/me", null), 401);
    assertProblem(ts.api.get("/auth/me", "not-a-token"), 401);
  }
}

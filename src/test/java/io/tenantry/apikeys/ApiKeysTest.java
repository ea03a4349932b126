package io.tenantry.apikeys;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** API keys through the real server: the admin routes, the ApiKey scheme on every route, scopes, expiry, exchange. */
class ApiKeysTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static final String KEYS = "/admin/v1/tenants/keys-a/api-keys";

  private static TestServer ts;
  private static String superAdmin;
  private static String adminA;
  private static String memberA;
  private static String adminB;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
    adminA = ts.tenantWithUser(superAdmin, "keys-a", "tenant_admin");
    ts.addUser(superAdmin, "keys-a", "member@keys-a.test", "member");
    memberA = ts.api.token("member@keys-a.test", "password-of-member@keys-a.test", "keys-a");
    adminB = ts.tenantWithUser(superAdmin, "keys-b", "tenant_admin");
    assertThat(ts.api.post(NOTES, memberA, new JsonObject().put("owner", "a")).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (ts != null) {
      ts.close();
    }
  }

  static JsonObject create(String token, String slug, List<String> scopes, String expiresAt) {
    JsonObject body = new JsonObject().put("name", "ci " + scopes).put("scopes", new JsonArray(scopes));
    if (expiresAt != null) {
      body.put("expires_at", expiresAt);
    }
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants/" + slug + "/api-keys", token, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> withKey(HttpMethod method, String path, String key, JsonObject body) {
    HttpRequest<Buffer> request = ts.api.request(method, path, null).putHeader("Authorization", "ApiKey " + key);
    return body == null ? ts.api.send(request) : ts.api.send(request, body);
  }

  @Test
  void aKeyIsCreatedListedWithoutItsSecretUsedAndRevoked() {
    JsonObject key = create(adminA, "keys-a", List.of("records:read", "records:write"), null);
    String secret = key.getString("secret");
    assertThat(secret).startsWith("tk_" + key.getString("id").replace("-", "") + "_");

    HttpResponse<Buffer> list = ts.api.get(KEYS, adminA);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsString()).contains(key.getString("id")).doesNotContain(secret)
      .doesNotContain(secret.substring(36)).doesNotContain("secret");

    HttpResponse<Buffer> read = withKey(HttpMethod.GET, NOTES, secret, null);
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getJsonArray("items")).isNotEmpty();
    assertThat(withKey(HttpMethod.POST, NOTES, secret, new JsonObject().put("by", "key")).statusCode()).isEqualTo(201);

    Eventually.within(Duration.ofSeconds(5), "last_used_at recorded", () -> lastUsed(key.getString("id")) != null);
    assertThat(ts.api.get(KEYS, adminA).bodyAsJsonObject().getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(k -> k.getString("id").equals(key.getString("id"))).findFirst().orElseThrow()
      .getString("last_used_at")).isNotNull();

    assertThat(ts.api.delete(KEYS + "/" + key.getString("id"), adminA, null).statusCode()).isEqualTo(204);
    assertProblem(withKey(HttpMethod.GET, NOTES, secret, null), 401);
    assertThat(ts.api.get(KEYS, adminA).bodyAsJsonObject().getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(k -> k.getString("id").equals(key.getString("id"))).findFirst().orElseThrow()
      .getString("revoked_at")).isNotNull();
    // the tenant's data is still there for its users
    assertThat(ts.api.get(NOTES, memberA).bodyAsJsonObject().getJsonArray("items")).hasSizeGreaterThanOrEqualTo(2);
  }

  private static String lastUsed(String id) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT last_used_at FROM platform.api_keys WHERE id = '" + id + "'")) {
      return rs.next() ? rs.getString(1) : null;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void scopesDecideEachRoute() {
    String reader = create(adminA, "keys-a", List.of("records:read"), null).getString("secret");
    String writer = create(adminA, "keys-a", List.of("records:write"), null).getString("secret");
    String admin = create(adminA, "keys-a", List.of("admin"), null).getString("secret");

    assertThat(withKey(HttpMethod.GET, NOTES, reader, null).statusCode()).isEqualTo(200);
    assertThat(assertProblem(withKey(HttpMethod.POST, NOTES, reader, new JsonObject()), 403).getString("detail"))
      .contains("records:write");
    assertThat(withKey(HttpMethod.POST, NOTES, writer, new JsonObject().put("w", 1)).statusCode()).isEqualTo(201);
    assertThat(assertProblem(withKey(HttpMethod.GET, NOTES, writer, null), 403).getString("detail")).contains("records:read");
    assertThat(assertProblem(withKey(HttpMethod.GET, KEYS, reader, null), 403).getString("detail")).contains("admin");
    assertThat(assertProblem(withKey(HttpMethod.GET, "/admin/v1/tenants/keys-a", writer, null), 403).getString("detail"))
      .contains("admin");
    assertThat(assertProblem(withKey(HttpMethod.GET, NOTES, admin, null), 403).getString("detail")).contains("records:read");

    assertThat(withKey(HttpMethod.GET, KEYS, admin, null).statusCode()).isEqualTo(200);
    assertThat(withKey(HttpMethod.GET, "/admin/v1/tenants/keys-a", admin, null).statusCode()).isEqualTo(200);
    // an admin key administers its own tenant only, and is never a super-admin
    assertProblem(withKey(HttpMethod.GET, "/admin/v1/tenants/keys-b/api-keys", admin, null), 403);
    assertProblem(withKey(HttpMethod.GET, "/admin/v1/tenants", admin, null), 403);
  }

  @Test
  void anUnknownScopeIsRefusedNamingTheAllowedOnes() {
    HttpResponse<Buffer> r = ts.api.post(KEYS, adminA,
      new JsonObject().put("name", "x").put("scopes", new JsonArray().add("records:read").add("root")));
    assertThat(assertProblem(r, 400).getString("detail"))
      .contains("root").contains("records:read, records:write, files:read, files:write, admin");
    assertProblem(ts.api.post(KEYS, adminA, new JsonObject().put("name", "x").put("scopes", new JsonArray())
      .put("expires_at", "yesterday")), 400);
    assertProblem(ts.api.post(KEYS, adminA, new JsonObject().put("name", "x").put("scopes", new JsonArray().add("admin"))
      .put("expires_at", "2001-01-01T00:00:00Z")), 400);
  }

  @Test
  void anExpiredKeyIsRefused() {
    String key = create(adminA, "keys-a", List.of("records:read"), Instant.now().plusSeconds(2).toString()).getString("secret");
    assertThat(withKey(HttpMethod.GET, NOTES, key, null).statusCode()).isEqualTo(200);
    Eventually.within(Duration.ofSeconds(10), "the key expires", () -> withKey(HttpMethod.GET, NOTES, key, null).statusCode() == 401);
    assertThat(exchange(key).statusCode()).isEqualTo(401);
  }

  @Test
  void anotherNodeServesTheKeyAndEnforcesItsExpiry() {
    String key = create(adminA, "keys-a", List.of("records:read"), Instant.now().plusSeconds(3).toString()).getString("secret");
    try (TestServer peer = ts.peer()) {
      HttpResponse<Buffer> there = peer.api.send(peer.api.request(HttpMethod.GET, NOTES, null)
        .putHeader("Authorization", "ApiKey " + key));
      assertThat(there.statusCode()).as(there.bodyAsString()).isEqualTo(200);
      assertThat(there.bodyAsJsonObject().getJsonArray("items")).isNotEmpty();
      assertThat(withKey(HttpMethod.GET, NOTES, key, null).statusCode()).isEqualTo(200);
      Eventually.within(Duration.ofSeconds(10), "both nodes refuse the expired key", () ->
        withKey(HttpMethod.GET, NOTES, key, null).statusCode() == 401
          && peer.api.send(peer.api.request(HttpMethod.GET, NOTES, null).putHeader("Authorization", "ApiKey " + key))
            .statusCode() == 401);
    }
  }

  @Test
  void aTamperedOrMalformedKeyIsRefused() {
    String key = create(adminA, "keys-a", List.of("records:read"), null).getString("secret");
    assertThat(withKey(HttpMethod.GET, NOTES, key, null).statusCode()).isEqualTo(200); // cached now
    String tampered = tamper(key, key.length() - 1);
    JsonObject refused = assertProblem(withKey(HttpMethod.GET, NOTES, tampered, null), 401);
    JsonObject unknown = assertProblem(withKey(HttpMethod.GET, NOTES,
      "tk_" + "0".repeat(32) + "_" + key.substring(36), null), 401);
    assertThat(refused.getString("detail")).isEqualTo(unknown.getString("detail"));
    assertProblem(withKey(HttpMethod.GET, NOTES, key + "x", null), 401);
    assertProblem(withKey(HttpMethod.GET, NOTES, "not-a-key", null), 401);
    assertThat(withKey(HttpMethod.GET, NOTES, key, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyOfANamingBIsRefused() {
    String key = create(adminA, "keys-a", List.of("records:read", "admin"), null).getString("secret");
    HttpRequest<Buffer> request = ts.api.request(HttpMethod.GET, NOTES, null)
      .putHeader("Authorization", "ApiKey " + key).putHeader("X-Tenant-ID", "keys-b");
    assertProblem(ts.api.send(request), 403);
    HttpRequest<Buffer> own = ts.api.request(HttpMethod.GET, NOTES, null)
      .putHeader("Authorization", "ApiKey " + key).putHeader("X-Tenant-ID", "keys-a");
    assertThat(ts.api.send(own).statusCode()).isEqualTo(200);
  }

  @Test
  void theAdminRoutesArePermissionChecked() {
    JsonObject body = new JsonObject().put("name", "x").put("scopes", new JsonArray().add("records:read"));
    assertProblem(ts.api.post(KEYS, null, body), 401);
    assertProblem(ts.api.get(KEYS, null), 401);
    assertProblem(ts.api.delete(KEYS + "/" + java.util.UUID.randomUUID(), null, null), 401);

    for (String outsider : List.of(memberA, adminB)) {
      assertThat(assertProblem(ts.api.post(KEYS, outsider, body), 403).getString("detail")).doesNotContain("keys-a");
      assertProblem(ts.api.get(KEYS, outsider), 403);
      assertProblem(ts.api.delete(KEYS + "/" + java.util.UUID.randomUUID(), outsider, null), 403);
    }
    // another tenant's admin gets the same answer for a tenant that does not exist
    assertThat(assertProblem(ts.api.get("/admin/v1/tenants/no-such-tenant/api-keys", adminB), 403).getString("detail"))
      .isEqualTo(assertProblem(ts.api.get(KEYS, adminB), 403).getString("detail"));

    JsonObject bySuper = create(superAdmin, "keys-a", List.of("records:read"), null);
    assertThat(ts.api.get(KEYS, superAdmin).bodyAsString()).contains(bySuper.getString("id"));
    assertProblem(ts.api.get("/admin/v1/tenants/no-such-tenant/api-keys", superAdmin), 404);
    assertProblem(ts.api.delete(KEYS + "/" + java.util.UUID.randomUUID(), superAdmin, null), 404);
    assertThat(ts.api.delete(KEYS + "/" + bySuper.getString("id"), superAdmin, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aKeyIsExchangedForAScopedTokenOfItsTenant() {
    String key = create(adminA, "keys-a", List.of("records:read"), null).getString("secret");
    HttpResponse<Buffer> r = exchange(key);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    String token = r.bodyAsJsonObject().getString("access_token");
    assertThat(r.bodyAsJsonObject().getString("token_type")).isEqualTo("Bearer");
    assertThat(ts.api.get(NOTES, token).statusCode()).isEqualTo(200);
    assertThat(assertProblem(ts.api.post(NOTES, token, new JsonObject()), 403).getString("detail")).contains("records:write");
    assertProblem(ts.api.get(NOTES, token, io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "keys-b")), 403);

    JsonObject wrong = assertProblem(exchange(tamper(key, 40)), 401);
    JsonObject unknown = assertProblem(exchange("tk_" + "1".repeat(32) + "_" + key.substring(36)), 401);
    assertThat(wrong.getString("detail")).isEqualTo(unknown.getString("detail"));
    assertProblem(ts.api.post("/auth/token", null, new JsonObject().put("grant_type", "client_credentials")), 400);
    // the password grant is unchanged
    assertThat(ts.api.token("member@keys-a.test", "password-of-member@keys-a.test", "keys-a")).isNotBlank();
  }

  /** The key with one character of its secret changed. */
  static String tamper(String key, int at) {
    return key.substring(0, at) + (key.charAt(at) == 'A' ? 'B' : 'A') + key.substring(at + 1);
  }

  private static HttpResponse<Buffer> exchange(String key) {
    return ts.api.post("/auth/token", null, new JsonObject().put("grant_type", "client_credentials").put("api_key", key));
  }
}

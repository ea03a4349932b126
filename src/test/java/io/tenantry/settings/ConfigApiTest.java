package io.tenantry.settings;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The configuration routes on a real server: declared settings, tenant values, effective values, enforcement. */
class ConfigApiTest {
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String config(String slug) {
    return "/admin/v1/tenants/" + slug + "/config";
  }

  private static HttpResponse<Buffer> put(String path, String token, Object value) {
    return ts.api.send(ts.api.request(HttpMethod.PUT, path, token), new JsonObject().put("value", value));
  }

  private static JsonObject effective(String slug, String token) {
    HttpResponse<Buffer> r = ts.api.get(config(slug) + "/effective", token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("settings");
  }

  /** A tenant with a tenant_admin and a member; returns {adminToken, memberToken}. */
  private static String[] tenant(String slug) {
    ts.createTenant(admin, slug);
    ts.addUser(admin, slug, "admin@" + slug + ".test", "tenant_admin");
    ts.addUser(admin, slug, "member@" + slug + ".test", "member");
    return new String[] {
      ts.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug),
      ts.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug)};
  }

  @Test
  void theDeclaredSettingsAreListedWithSchemasAndDefaults() {
    HttpResponse<Buffer> r = ts.api.get("/admin/v1/settings", admin);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
    JsonObject ttl = items.stream().map(JsonObject.class::cast)
      .filter(s -> s.getString("key").equals("auth.token_ttl_seconds")).findFirst().orElseThrow();
    assertThat(ttl.getInteger("default")).isEqualTo(ts.config.tokenTtlSeconds());
    assertThat(ttl.getJsonObject("schema").getInteger("maximum")).isEqualTo(ts.config.tokenTtlSeconds());
    assertThat(items.stream().map(s -> ((JsonObject) s).getString("key")))
      .contains("locale", "time_zone", "branding.display_name", "branding.colors", "users.allowed_email_domains",
        "features.beta_dashboard");
  }

  @Test
  void aNewTenantHasNoValuesAndPlatformDefaults() {
    tenant("cfg-fresh");
    JsonObject own = ts.api.get(config("cfg-fresh"), admin).bodyAsJsonObject();
    assertThat(own.getJsonObject("values")).isEmpty();
    JsonObject settings = effective("cfg-fresh", admin);
    assertThat(settings.getJsonObject("locale")).isEqualTo(new JsonObject().put("value", "en").put("source", "platform"));
    assertThat(settings.getJsonObject("branding.colors").getString("source")).isEqualTo("platform");
  }

  @Test
  void aTenantValueOverridesThePlatformUntilCleared() {
    String[] t = tenant("cfg-set");
    JsonObject colors = new JsonObject().put("primary", "#112233").put("secondary", "#445566");
    HttpResponse<Buffer> r = put(config("cfg-set") + "/branding.colors", t[0], colors);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(put(config("cfg-set") + "/locale", t[0], "de-CH").statusCode()).isEqualTo(200);

    assertThat(ts.api.get(config("cfg-set"), t[0]).bodyAsJsonObject().getJsonObject("values"))
      .isEqualTo(new JsonObject().put("branding.colors", colors).put("locale", "de-CH"));
    JsonObject settings = effective("cfg-set", t[0]);
    assertThat(settings.getJsonObject("branding.colors")).isEqualTo(new JsonObject().put("value", colors).put("source", "tenant"));
    assertThat(settings.getJsonObject("locale").getString("value")).isEqualTo("de-CH");
    assertThat(settings.getJsonObject("time_zone").getString("source")).isEqualTo("platform");

    assertThat(ts.api.delete(config("cfg-set") + "/locale", t[0], null).statusCode()).isEqualTo(204);
    assertThat(effective("cfg-set", t[0]).getJsonObject("locale"))
      .isEqualTo(new JsonObject().put("value", "en").put("source", "platform"));
    assertThat(effective("cfg-set", t[0]).getJsonObject("branding.colors").getString("source")).isEqualTo("tenant");
  }

  @Test
  void invalidValuesAre422WithAPointerAndChangeNothing() {
    String[] t = tenant("cfg-bad");
    JsonObject p = assertProblem(put(config("cfg-bad") + "/branding.colors", t[0],
      new JsonObject().put("primary", "#112233").put("secondary", "blue")), 422);
    assertThat(p.getString("type")).endsWith("/invalid-setting");
    assertThat(p.getString("detail")).contains("\"/secondary\"");
    p = assertProblem(put(config("cfg-bad") + "/users.allowed_email_domains", t[0],
      new JsonArray().add("good.example").add("not a domain")), 422);
    assertThat(p.getString("detail")).contains("\"/1\"");
    p = assertProblem(put(config("cfg-bad") + "/auth.token_ttl_seconds", t[0], ts.config.tokenTtlSeconds() + 1), 422);
    assertThat(p.getString("detail")).contains("auth.token_ttl_seconds");
    assertProblem(put(config("cfg-bad") + "/features.beta_dashboard", t[0], new JsonObject().put("percentage", 101)), 422);
    assertProblem(put(config("cfg-bad") + "/locale", t[0], null), 422);
    assertThat(ts.api.get(config("cfg-bad"), t[0]).bodyAsJsonObject().getJsonObject("values")).isEmpty();
  }

  @Test
  void unknownKeysAre404NamingTheKnownOnes() {
    String[] t = tenant("cfg-unknown");
    JsonObject p = assertProblem(put(config("cfg-unknown") + "/no.such.setting", t[0], 1), 404);
    assertThat(p.getString("detail")).contains("locale").contains("GET /admin/v1/settings");
    assertProblem(ts.api.delete(config("cfg-unknown") + "/no.such.setting", t[0], null), 404);
    assertProblem(put("/api/v1/config/no.such.setting", t[1], 1), 404);
  }

  @Test
  void aMemberReadsTheEffectiveConfigWithFlagsEvaluatedAndOwnValues() {
    String[] t = tenant("cfg-member");
    assertThat(put(config("cfg-member") + "/features.beta_dashboard", t[0], true).statusCode()).isEqualTo(200);
    assertThat(put(config("cfg-member") + "/features.new_editor", t[0], new JsonObject().put("percentage", 50))
      .statusCode()).isEqualTo(200);
    assertThat(put(config("cfg-member") + "/time_zone", t[0], "Europe/Zurich").statusCode()).isEqualTo(200);

    HttpResponse<Buffer> r = ts.api.get("/api/v1/config", t[1]);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject settings = r.bodyAsJsonObject().getJsonObject("settings");
    assertThat(settings.getJsonObject("features.beta_dashboard"))
      .isEqualTo(new JsonObject().put("value", true).put("source", "tenant"));
    boolean editor = settings.getJsonObject("features.new_editor").getBoolean("value");
    UUID member = UUID.fromString(subject(t[1]));
    assertThat(editor).isEqualTo(FeatureRollout.bucket("features.new_editor", member) < 50);
    for (int i = 0; i < 3; i++) {
      assertThat(ts.api.get("/api/v1/config", t[1]).bodyAsJsonObject().getJsonObject("settings")
        .getJsonObject("features.new_editor").getBoolean("value")).as("stable per user").isEqualTo(editor);
    }

    assertThat(put("/api/v1/config/time_zone", t[1], "America/New_York").statusCode()).isEqualTo(200);
    assertProblem(put("/api/v1/config/time_zone", t[1], "not a zone"), 422);
    JsonObject p = assertProblem(put("/api/v1/config/features.beta_dashboard", t[1], false), 403);
    assertThat(p.getString("detail")).contains("locale");
    JsonObject mine = ts.api.get("/api/v1/config", t[1]).bodyAsJsonObject().getJsonObject("settings");
    assertThat(mine.getJsonObject("time_zone")).isEqualTo(new JsonObject().put("value", "America/New_York").put("source", "user"));
    // the tenant admin still sees the tenant's value: user values are the user's own
    assertThat(ts.api.get("/api/v1/config", t[0]).bodyAsJsonObject().getJsonObject("settings")
      .getJsonObject("time_zone").getString("value")).isEqualTo("Europe/Zurich");
    assertThat(ts.api.delete("/api/v1/config/time_zone", t[1], null).statusCode()).isEqualTo(204);
    assertThat(ts.api.get("/api/v1/config", t[1]).bodyAsJsonObject().getJsonObject("settings")
      .getJsonObject("time_zone").getString("source")).isEqualTo("tenant");
  }

  private static JsonObject settingsOf(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("settings");
  }

  @Test
  void aChangeIsSeenByAnotherNodeWithinASecond() {
    String[] t = tenant("cfg-nodes");
    try (TestServer other = ts.peer()) {
      assertThat(other.api.get("/api/v1/config", t[1]).bodyAsJsonObject().getJsonObject("settings")
        .getJsonObject("features.beta_dashboard").getBoolean("value")).isFalse(); // now cached on the other node
      assertThat(put(config("cfg-nodes") + "/features.beta_dashboard", t[0], true).statusCode()).isEqualTo(200);
      Duration took = Eventually.within(Duration.ofSeconds(1), "the other node serves the new flag",
        () -> settingsOf(other.api.get("/api/v1/config", t[1]))
          .getJsonObject("features.beta_dashboard").getBoolean("value"));
      assertThat(took).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aChildInheritsItsAncestorsValuesUnlessItSetsItsOwn() {
    tenant("cfg-root");
    assertThat(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "cfg-dept").put("name", "Dept")
      .put("parent", "cfg-root")).statusCode()).isEqualTo(201);
    assertThat(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "cfg-team").put("name", "Team")
      .put("parent", "cfg-dept")).statusCode()).isEqualTo(201);
    assertThat(put(config("cfg-root") + "/locale", admin, "de-CH").statusCode()).isEqualTo(200);
    assertThat(put(config("cfg-dept") + "/time_zone", admin, "Europe/Zurich").statusCode()).isEqualTo(200);

    JsonObject team = effective("cfg-team", admin);
    assertThat(team.getJsonObject("locale")).isEqualTo(new JsonObject().put("value", "de-CH").put("source", "cfg-root"));
    assertThat(team.getJsonObject("time_zone"))
      .isEqualTo(new JsonObject().put("value", "Europe/Zurich").put("source", "cfg-dept"));

    assertThat(put(config("cfg-team") + "/locale", admin, "fr-CH").statusCode()).isEqualTo(200);
    assertThat(effective("cfg-team", admin).getJsonObject("locale"))
      .isEqualTo(new JsonObject().put("value", "fr-CH").put("source", "tenant"));
    assertThat(effective("cfg-root", admin).getJsonObject("locale").getString("value")).isEqualTo("de-CH");
  }

  @Test
  void tokensForATenantLastItsTokenTtl() {
    String[] t = tenant("cfg-ttl");
    assertThat(put(config("cfg-ttl") + "/auth.token_ttl_seconds", t[0], 120).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> r = ts.api.post("/auth/token", null, new JsonObject().put("email", "member@cfg-ttl.test")
      .put("password", "password-of-member@cfg-ttl.test").put("tenant", "cfg-ttl"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("expires_in")).isEqualTo(120);
    JsonObject claims = claims(r.bodyAsJsonObject().getString("access_token"));
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(120L);
    // a token naming no tenant keeps the platform's lifetime
    HttpResponse<Buffer> platform = ts.api.post("/auth/token", null, new JsonObject().put("email", TestServer.ADMIN_EMAIL)
      .put("password", TestServer.ADMIN_PASSWORD));
    assertThat(platform.bodyAsJsonObject().getInteger("expires_in")).isEqualTo(ts.config.tokenTtlSeconds());
  }

  @Test
  void onlyAllowedEmailDomainsAreAddedOrInvited() {
    String[] t = tenant("cfg-domains");
    assertThat(put(config("cfg-domains") + "/users.allowed_email_domains", t[0],
      new JsonArray().add("good.example")).statusCode()).isEqualTo(200);
    JsonObject p = assertProblem(ts.api.post("/admin/v1/tenants/cfg-domains/users", t[0],
      new JsonObject().put("email", "someone@evil.example").put("role", "member")), 422);
    assertThat(p.getString("detail")).contains("good.example");
    assertProblem(ts.api.post("/admin/v1/tenants/cfg-domains/users", admin, new JsonObject()
      .put("email", "someone@evil.example").put("password", "a-long-password-1").put("role", "member")), 422);
    assertThat(ts.api.post("/admin/v1/tenants/cfg-domains/users", t[0],
      new JsonObject().put("email", "Someone@Good.Example").put("role", "member")).statusCode()).isEqualTo(202);
    assertThat(ts.api.post("/admin/v1/tenants/cfg-domains/users", admin, new JsonObject()
      .put("email", "other@good.example").put("password", "a-long-password-1").put("role", "member")).statusCode())
      .isEqualTo(201);
  }

  @Test
  void onlyItsTenantAdminOrASuperAdminReachATenantsConfig() {
    String[] mine = tenant("cfg-perm-a");
    String[] other = tenant("cfg-perm-b");
    assertThat(put(config("cfg-perm-a") + "/locale", mine[0], "fr").statusCode()).isEqualTo(200);
    String[] paths = {config("cfg-perm-a"), config("cfg-perm-a") + "/effective"};
    for (String path : paths) {
      assertProblem(ts.api.get(path, null), 401);
      assertProblem(ts.api.get(path, mine[1]), 403);
      JsonObject p = assertProblem(ts.api.get(path, other[0]), 403);
      assertThat(p.toString()).doesNotContain("\"fr\"");
      assertThat(ts.api.get(path, admin).statusCode()).isEqualTo(200);
      assertThat(ts.api.get(path, mine[0]).statusCode()).isEqualTo(200);
    }
    assertProblem(put(config("cfg-perm-a") + "/locale", null, "de"), 401);
    assertProblem(put(config("cfg-perm-a") + "/locale", mine[1], "de"), 403);
    assertProblem(put(config("cfg-perm-a") + "/locale", other[0], "de"), 403);
    assertProblem(ts.api.delete(config("cfg-perm-a") + "/locale", other[0], null), 403);
    assertProblem(ts.api.delete(config("cfg-perm-a") + "/locale", mine[1], null), 403);
    // the same 403 for a tenant that does not exist
    assertProblem(ts.api.get(config("cfg-no-such"), other[0]), 403);
    assertProblem(ts.api.get(config("cfg-no-such"), admin), 404);
    assertThat(put(config("cfg-perm-a") + "/locale", admin, "it").statusCode()).isEqualTo(200);
    assertThat(effective("cfg-perm-a", mine[0]).getJsonObject("locale").getString("value")).isEqualTo("it");

    assertProblem(ts.api.get("/admin/v1/settings", null), 401);
    assertProblem(ts.api.get("/admin/v1/settings", mine[1]), 403);
    assertThat(ts.api.get("/admin/v1/settings", other[0]).statusCode()).isEqualTo(200);

    assertProblem(ts.api.get("/api/v1/config", null, MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "cfg-perm-a")), 401);
    assertProblem(put("/api/v1/config/locale", null, "de"), 401);
    MultiMap namingA = MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "cfg-perm-a");
    JsonObject refused = assertProblem(ts.api.get("/api/v1/config", other[0], namingA), 403);
    assertThat(refused.toString()).doesNotContain("\"it\"");
    HttpResponse<Buffer> asSuperAdmin = ts.api.get("/api/v1/config", admin, namingA);
    assertThat(asSuperAdmin.statusCode()).as(asSuperAdmin.bodyAsString()).isEqualTo(200);
    assertThat(asSuperAdmin.bodyAsJsonObject().getJsonObject("settings").getJsonObject("locale").getString("value"))
      .isEqualTo("it");
    assertThat(ts.api.get("/api/v1/config", mine[1]).bodyAsJsonObject().getJsonObject("settings")
      .getJsonObject("locale").getString("value")).isEqualTo("it");
  }

  @Test
  void aSuspendedTenantsAdminCannotChangeItsConfig() {
    String[] t = tenant("cfg-susp");
    assertThat(ts.api.post("/admin/v1/tenants/cfg-susp/suspend", admin, new JsonObject()).statusCode()).isEqualTo(200);
    assertProblem(put(config("cfg-susp") + "/locale", t[0], "de"), 403);
    assertThat(put(config("cfg-susp") + "/locale", admin, "de").statusCode()).isEqualTo(200);
  }

  private static String subject(String token) {
    return claims(token).getString("sub");
  }

  private static JsonObject claims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
  }
}

package io.tenantry.domains;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The custom-domain routes, their validation and permissions, and resolving a tenant by a mapped host. */
class CustomDomainsApiTest {
  private static final String NOTES = "/api/v1/collections/notes/records";

  private static TestServer server;
  private static String admin;
  private static String alphaMember;
  private static String alphaAdmin;
  private static String betaMember;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    alphaMember = server.tenantWithUser(admin, "alpha", "member");
    server.addUser(admin, "alpha", "boss@alpha.test", "tenant_admin");
    alphaAdmin = server.api.token("boss@alpha.test", "password-of-boss@alpha.test", "alpha");
    betaMember = server.tenantWithUser(admin, "beta", "member");
    assertThat(server.api.post(NOTES, alphaMember, new JsonObject().put("text", "alpha's note")).statusCode())
      .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String domains(String slug) {
    return "/admin/v1/tenants/" + slug + "/domains";
  }

  private static HttpResponse<Buffer> map(String slug, String host, String token) {
    return server.api.put(domains(slug) + "/" + host, token, new JsonObject(), null);
  }

  @Test
  void aSuperAdminMapsListsAndRemovesADomain() {
    HttpResponse<Buffer> created = map("alpha", "crud.example.com", admin);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("host")).isEqualTo("crud.example.com");
    assertThat(map("alpha", "crud.example.com", admin).statusCode()).as("again").isEqualTo(200);

    HttpResponse<Buffer> listed = server.api.get(domains("alpha"), admin);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.bodyAsJsonObject().getJsonArray("items").stream()
      .map(item -> ((JsonObject) item).getString("host"))).contains("crud.example.com");
    assertThat(server.api.get(domains("beta"), admin).bodyAsJsonObject().getJsonArray("items")).isEmpty();

    assertThat(map("beta", "crud.example.com", admin).statusCode()).as("taken by alpha").isEqualTo(409);
    assertThat(server.api.delete(domains("beta") + "/crud.example.com", admin, null).statusCode())
      .as("not beta's").isEqualTo(404);
    assertThat(server.api.delete(domains("alpha") + "/crud.example.com", admin, null).statusCode()).isEqualTo(204);
    assertThat(server.api.delete(domains("alpha") + "/crud.example.com", admin, null).statusCode()).isEqualTo(404);
    assertThat(map("beta", "crud.example.com", admin).statusCode()).as("free again").isEqualTo(201);
    assertThat(map("nosuchtenant", "other.example.com", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void badHostNamesAreRefusedWithWhatIsAllowed() {
    for (String bad : new String[] {"UPPER.example.com", "nodots", "a..b.com", "-lead.example.com",
        "trail-.example.com", "under_score.example.com", "x.localhost", "host.example.com:8080",
        "a".repeat(64) + ".com", ("abcdefghi." ).repeat(26) + "com", "bücher.example.com"}) {
      HttpResponse<Buffer> refused = map("alpha", bad.replace(":", "%3A").replace("ü", "%C3%BC"), admin);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(map("alpha", "xn--bcher-kva.example.com", admin).statusCode()).as("punycode").isEqualTo(201);
  }

  @Test
  void aMappedHostNamesItsTenant() {
    assertThat(map("alpha", "notes.alpha.example", admin).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> own = server.api.getNaming(NOTES, alphaMember, null, "notes.alpha.example");
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.bodyAsString()).contains("alpha's note");
    assertThat(server.api.getNaming(NOTES, alphaMember, null, "NOTES.alpha.example.").statusCode())
      .as("case and a trailing dot do not matter").isEqualTo(200);

    HttpResponse<Buffer> other = server.api.getNaming(NOTES, betaMember, null, "notes.alpha.example");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.bodyAsString()).doesNotContain("alpha's note");
    assertThat(other.getHeader("RateLimit-Limit")).isNull();

    HttpResponse<Buffer> unknown = server.api.getNaming(NOTES, betaMember, null, "unmapped.example.org");
    assertThat(unknown.statusCode()).as("an unknown host names no tenant").isEqualTo(200);
    assertThat(unknown.bodyAsString()).doesNotContain("alpha's note");

    assertThat(server.api.delete(domains("alpha") + "/notes.alpha.example", admin, null).statusCode()).isEqualTo(204);
    assertThat(server.api.getNaming(NOTES, betaMember, null, "notes.alpha.example").statusCode())
      .as("removed: names no tenant any more").isEqualTo(200);
  }

  @Test
  void onlySuperAdminsManageDomains() {
    for (String token : new String[] {null, alphaMember, alphaAdmin, betaMember}) {
      int expected = token == null ? 401 : 403;
      assertThat(server.api.get(domains("alpha"), token).statusCode()).isEqualTo(expected);
      HttpResponse<Buffer> put = map("alpha", "perm.example.com", token);
      assertThat(put.statusCode()).isEqualTo(expected);
      assertThat(put.bodyAsString()).doesNotContain("perm.example.com");
      assertThat(map("beta", "perm.example.com", token).statusCode()).isEqualTo(expected);
      assertThat(server.api.delete(domains("alpha") + "/perm.example.com", token, null).statusCode())
        .isEqualTo(expected);
    }
    assertThat(server.api.get(domains("alpha"), admin).bodyAsString()).doesNotContain("perm.example.com");
    assertThat(map("alpha", "perm.example.com", admin).statusCode()).isEqualTo(201);
  }
}

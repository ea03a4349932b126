package io.tenantry.tenant;

import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Each way of naming a tenant, alone and together; unknown, suspended and conflicting tenants. */
class TenantResolutionTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String admin;
  private static String acmeMember;
  private static String acmeId;
  private static String globexId;

  @BeforeAll
  static void twoTenants() {
    ts = TestServer.start();
    admin = ts.adminToken();
    acmeMember = ts.tenantWithUser(admin, "acme", "member");
    acmeId = ts.api.get("/admin/v1/tenants/acme", admin).bodyAsJsonObject().getString("id");
    globexId = ts.createTenant(admin, "globex").getString("id");
    ts.api.post(NOTES, acmeMember, new JsonObject().put("of", "acme"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> list(String token, String header, String host, String path) {
    return ts.api.getNaming(path == null ? NOTES : path, token, header, host);
  }

  private static void assertAcmeList(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getJsonObject("data").getString("of")).isEqualTo("acme");
  }

  @Test
  void tokenClaimAloneResolves() {
    assertAcmeList(list(acmeMember, null, null, null));
  }

  @Test
  void headerAloneResolvesBySlugAndById() {
    assertAcmeList(list(admin, "acme", null, null));
    assertAcmeList(list(admin, acmeId, null, null));
  }

  @Test
  void hostSubdomainAloneResolves() {
    assertAcmeList(list(admin, null, "acme.localhost", null));
    assertAcmeList(list(admin, null, "ACME.localhost", null));
  }

  @Test
  void pathPrefixAloneResolvesAndKeepsTheQuery() {
    HttpResponse<Buffer> r = list(admin, null, null, "/t/acme" + NOTES + "?limit=1");
    assertAcmeList(r);
  }

  @Test
  void allSourcesAgreeing() {
    assertAcmeList(list(acmeMember, acmeId, "acme.localhost", "/t/acme" + NOTES));
  }

  @Test
  void disagreeingSourcesAreForbidden() {
    assertProblem(list(acmeMember, "globex", null, null), 403);
    assertProblem(list(acmeMember, globexId, null, null), 403);
    assertProblem(list(acmeMember, null, "globex.localhost", null), 403);
    assertProblem(list(acmeMember, null, null, "/t/globex" + NOTES), 403);
    assertProblem(list(admin, "acme", "globex.localhost", null), 403);
    assertProblem(list(admin, "acme", null, "/t/globex" + NOTES), 403);
  }

  @Test
  void unknownTenantIsNotFound() {
    assertProblem(list(admin, "nope-tenant", null, null), 404);
    assertProblem(list(admin, "00000000-0000-7000-8000-000000000000", null, null), 404);
    assertProblem(list(admin, null, "nope-tenant.localhost", null), 404);
    assertProblem(list(admin, null, null, "/t/nope-tenant" + NOTES), 404);
  }

  @Test
  void slugVariantsDoNotResolveToTheTenant() {
    assertProblem(list(admin, "ACME", null, null), 404);
    assertProblem(list(admin, "acm\u00e9", null, null), 404);
    assertProblem(list(admin, "\uff41cme", null, null), 404); // fullwidth a
    assertProblem(list(admin, "acme'--", null, null), 404);
  }

  @Test
  void noTenantOnATenantRouteIsBadRequest() {
    assertProblem(list(admin, null, null, null), 400);
    assertProblem(list(admin, null, "localhost", null), 400);
  }

  @Test
  void aMalformedHostIsBadRequest() {
    assertProblem(list(admin, null, "acme.localhost:1:2", null), 400);
  }

  @Test
  void aHostWithSeveralLabelsIsBadRequest() {
    assertProblem(list(admin, null, "www.acme.localhost", null), 400);
  }

  @Test
  void aSuspendedTenantIsForbiddenUntilResumed() {
    String token = ts.tenantWithUser(admin, "paused", "member");
    assertThat(list(token, null, null, null).statusCode()).isEqualTo(200);
    assertThat(ts.api.post("/admin/v1/tenants/paused/suspend", admin, new JsonObject()).statusCode()).isEqualTo(200);
    assertProblem(list(token, null, null, null), 403);
    assertProblem(list(admin, "paused", null, null), 403);
    assertThat(ts.api.post("/admin/v1/tenants/paused/resume", admin, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(list(token, null, null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void anonymousRequestsAreRefusedBeforeTenantLookup() {
    assertProblem(list(null, "acme", null, null), 401);
    assertProblem(list(null, "nope-tenant", null, null), 401);
  }

  @Test
  void everyResponseCarriesARequestIdAndEchoesASafeOne() {
    HttpResponse<Buffer> r = ts.api.get("/health/live", null, MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "trace-42"));
    assertThat(r.getHeader("X-Request-Id")).isEqualTo("trace-42");
    HttpResponse<Buffer> unsafe = ts.api.get("/health/live", null, MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "a\"b<script>"));
    assertThat(unsafe.getHeader("X-Request-Id")).isNotEqualTo("a\"b<script>").hasSize(36);
  }
}

package io.tenantry.admin;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** PATCH /admin/v1/tenants/{slug} (a new name) and the plan a super-admin sees on a tenant (docs/tenants.md). */
class TenantRenameTest {
  private static final String TENANTS = "/admin/v1/tenants/";
  private static TestServer ts;
  private static String root;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    root = ts.adminToken();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> rename(String slug, String token, String name) {
    return patch(slug, token, new JsonObject().put("name", name));
  }

  /** As application/json: the operation takes no other media type. */
  private static HttpResponse<Buffer> patch(String slug, String token, JsonObject body) {
    return ts.api.send(ts.api.request(HttpMethod.PATCH, TENANTS + slug, token), body);
  }

  private static String name(String slug) {
    return ts.api.get(TENANTS + slug, root).bodyAsJsonObject().getString("name");
  }

  private static void child(String parent, String slug) {
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants", root,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("parent", parent));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  /**
   * The tenant cache is evicted here at once. Other nodes learn it through the clustered event bus as they learn a
   * suspension (cluster.ClusterTest); TestServer.peer() nodes share no event bus, so they are not asked here.
   */
  @Test
  void aSuperAdminRenamesATenantAndItIsServedWithTheNewNameAtOnce() {
    ts.createTenant(root, "ren-cached");
    assertThat(name("ren-cached")).isEqualTo("Tenant ren-cached"); // now cached

    HttpResponse<Buffer> renamed = rename("ren-cached", root, "  Renamed Corp ");

    assertThat(renamed.statusCode()).as(renamed.bodyAsString()).isEqualTo(200);
    assertThat(renamed.bodyAsJsonObject().getString("name")).isEqualTo("Renamed Corp");
    assertThat(renamed.bodyAsJsonObject().getString("slug")).isEqualTo("ren-cached");
    assertThat(name("ren-cached")).isEqualTo("Renamed Corp");
  }

  @Test
  void aTenantAdminRenamesItsOwnTenantAndTheTenantsBelowItButNoOtherTenant() {
    String admin = ts.tenantWithUser(root, "ren-own", "tenant_admin");
    child("ren-own", "ren-own-kid");
    ts.createTenant(root, "ren-other");
    String member = ts.tenantWithUser(root, "ren-members", "member");

    assertThat(rename("ren-own", admin, "Own").statusCode()).isEqualTo(200);
    assertThat(rename("ren-own-kid", admin, "Kid").statusCode()).isEqualTo(200);
    assertProblem(rename("ren-other", admin, "Taken over"), 403);
    assertProblem(rename("ren-no-such", admin, "Nobody"), 403);
    assertProblem(rename("ren-members", member, "Mine"), 403);
    assertProblem(patch("ren-own", null, new JsonObject().put("name", "Anyone")), 401);

    assertThat(name("ren-own")).isEqualTo("Own");
    assertThat(name("ren-own-kid")).isEqualTo("Kid");
    assertThat(name("ren-other")).isEqualTo("Tenant ren-other");
    assertThat(name("ren-members")).isEqualTo("Tenant ren-members");
    assertThat(ts.api.get(TENANTS + "ren-own", admin).bodyAsJsonObject().getString("name")).isEqualTo("Own");
  }

  @Test
  void onlyANonBlankNameIsAccepted() {
    ts.createTenant(root, "ren-bad");

    assertProblem(rename("ren-bad", root, ""), 400);
    assertProblem(rename("ren-bad", root, "   "), 400);
    assertProblem(rename("ren-bad", root, "x".repeat(201)), 400);
    assertProblem(patch("ren-bad", root, new JsonObject()), 400);
    assertProblem(patch("ren-bad", root, new JsonObject().putNull("name")), 400);
    assertProblem(patch("ren-bad", root, new JsonObject().put("name", 7)), 400);
    assertProblem(patch("ren-bad", root, new JsonObject().put("name", "Fine").put("slug", "ren-other-slug")), 400);
    assertProblem(patch("ren-bad", root, new JsonObject().put("name", "Fine").put("status", "active")), 400);
    assertProblem(rename("ren-no-such", root, "Nobody"), 404);
    assertProblem(ts.api.patch(TENANTS + "ren-bad", root, new JsonObject().put("name", "Merge patch"), null), 415);

    assertThat(name("ren-bad")).isEqualTo("Tenant ren-bad");
  }

  @Test
  void anArchivedTenantKeepsItsNameAndASuspendedOneIsRenamedOnlyByASuperAdmin() {
    String admin = ts.tenantWithUser(root, "ren-states", "tenant_admin");
    child("ren-states", "ren-archived");
    assertThat(ts.api.post(TENANTS + "ren-archived/archive", root, null).statusCode()).isEqualTo(200);
    assertThat(ts.api.post(TENANTS + "ren-states/suspend", root, null).statusCode()).isEqualTo(200);

    assertThat(assertProblem(rename("ren-archived", root, "Archived"), 403).getString("type")).endsWith("tenant-archived");
    assertProblem(rename("ren-states", admin, "By its admin"), 403);
    assertThat(rename("ren-states", root, "By the operators").statusCode()).isEqualTo(200);

    assertThat(name("ren-archived")).isEqualTo("Tenant ren-archived");
    assertThat(name("ren-states")).isEqualTo("By the operators");
  }

  @Test
  void aSuperAdminSeesATenantsPlanInItAndInTheListingAndItsAdminDoesNot() {
    String admin = ts.tenantWithUser(root, "ren-plan", "tenant_admin");
    assertThat(ts.api.put("/admin/v1/plans/ren-gold", root, new JsonObject().put("rate", 50).put("burst", 100), null)
      .statusCode()).isEqualTo(200);
    assertThat(ts.api.get(TENANTS + "ren-plan", root).bodyAsJsonObject().getString("plan")).isEqualTo("default");

    assertThat(ts.api.put(TENANTS + "ren-plan/limits", root, new JsonObject().put("plan", "ren-gold"), null)
      .statusCode()).isEqualTo(200);

    assertThat(ts.api.get(TENANTS + "ren-plan", root).bodyAsJsonObject().getString("plan")).isEqualTo("ren-gold");
    JsonObject listed = ts.api.get("/admin/v1/tenants?limit=500", root).bodyAsJsonObject().getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(t -> "ren-plan".equals(t.getString("slug"))).findFirst().orElseThrow();
    assertThat(listed.getString("plan")).isEqualTo("ren-gold");
    assertThat(ts.api.get(TENANTS + "ren-plan", admin).bodyAsJsonObject().containsKey("plan")).isFalse();
    assertThat(rename("ren-plan", admin, "Planned").bodyAsJsonObject().containsKey("plan")).isFalse();
  }
}

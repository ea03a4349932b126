package io.tenantry.admin;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /admin/v1/tenants with filters and GET /admin/v1/tenant-overview over one small fleet: six "srch-" tenants
 * (two on plan gold, one schema-tier, one suspended, one archived, one deleted, one child) next to tenants other
 * tests of this class make; every search here names the prefix, so it sees exactly the six.
 */
class TenantSearchTest {
  private static final String TENANTS = "/admin/v1/tenants";
  private static TestServer ts;
  private static String superAdmin;
  private static String tenantAdmin;
  /** In creation order. */
  private static final List<String> FLEET = List.of("srch-alpha", "srch-beta", "srch-gamma", "srch-delta",
    "srch-eps", "srch-kid");

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
    tenantAdmin = ts.tenantWithUser(superAdmin, "other-org", "tenant_admin");
    create("srch-alpha", "Zephyr Alpha", "shared", null);
    create("srch-beta", "Beta Works", "schema", null);
    create("srch-gamma", "Gamma", "shared", null);
    create("srch-delta", "Delta", "shared", null);
    create("srch-eps", "Epsilon", "shared", null);
    create("srch-kid", "Kid of alpha", "shared", "srch-alpha");
    assertThat(ts.api.put("/admin/v1/plans/gold", superAdmin, new JsonObject().put("rate", 50).put("burst", 100), null)
      .statusCode()).isIn(200, 201);
    for (String slug : List.of("srch-alpha", "srch-gamma")) {
      assertThat(ts.api.put(TENANTS + "/" + slug + "/limits", superAdmin, new JsonObject().put("plan", "gold"), null)
        .statusCode()).isEqualTo(200);
    }
    assertThat(ts.api.post(TENANTS + "/srch-gamma/suspend", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(ts.api.post(TENANTS + "/srch-delta/archive", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(ts.api.delete(TENANTS + "/srch-eps", superAdmin, null).statusCode()).isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static void create(String slug, String name, String tier, String parent) {
    JsonObject body = new JsonObject().put("slug", slug).put("name", name).put("isolation", tier);
    if (parent != null) {
      body.put("parent", parent);
    }
    HttpResponse<Buffer> created = ts.api.post(TENANTS, superAdmin, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
  }

  private static List<String> slugs(String query) {
    HttpResponse<Buffer> page = ts.api.get(TENANTS + "?q=srch-&limit=500" + query, superAdmin);
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    return slugsOf(page.bodyAsJsonObject().getJsonArray("items"));
  }

  private static List<String> slugsOf(JsonArray items) {
    List<String> slugs = new ArrayList<>();
    items.forEach(item -> slugs.add(((JsonObject) item).getString("slug")));
    return slugs;
  }

  @Test
  void thePrefixFindsSlugsAndNamesIgnoringCaseInCreationOrder() {
    assertThat(slugs("")).containsExactlyElementsOf(FLEET);
    assertThat(slugsOf(ts.api.get(TENANTS + "?q=SRCH-B", superAdmin).bodyAsJsonObject().getJsonArray("items")))
      .containsExactly("srch-beta");
    assertThat(slugsOf(ts.api.get(TENANTS + "?q=zephyr%20a", superAdmin).bodyAsJsonObject().getJsonArray("items")))
      .containsExactly("srch-alpha");
    // LIKE's wildcard "_" is literal ("%" cannot be sent: query values are URL-decoded twice before the handler)
    assertThat(ts.api.get(TENANTS + "?q=srch_", superAdmin).bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void eachFilterNarrowsTheList() {
    assertThat(slugs("&state=suspended")).containsExactly("srch-gamma");
    assertThat(slugs("&state=archived")).containsExactly("srch-delta");
    assertThat(slugs("&state=deleted")).containsExactly("srch-eps");
    assertThat(slugs("&state=active")).containsExactly("srch-alpha", "srch-beta", "srch-kid");
    assertThat(slugs("&tier=schema")).containsExactly("srch-beta");
    assertThat(slugs("&tier=database")).isEmpty();
    assertThat(slugs("&plan=gold")).containsExactly("srch-alpha", "srch-gamma");
    assertThat(slugs("&plan=default&state=active")).containsExactly("srch-beta", "srch-kid");
    assertThat(slugs("&parent=srch-alpha")).containsExactly("srch-kid");
  }

  @Test
  void theCreatedRangeIsExclusiveAtBothEnds() {
    JsonArray all = ts.api.get(TENANTS + "?q=srch-&limit=500", superAdmin).bodyAsJsonObject().getJsonArray("items");
    String second = all.getJsonObject(1).getString("created_at");
    String fifth = all.getJsonObject(4).getString("created_at");
    assertThat(slugs("&created_after=" + encode(second) + "&created_before=" + encode(fifth)))
      .containsExactly("srch-gamma", "srch-delta");
    assertThat(slugs("&created_before=2000-01-01T00:00:00Z")).isEmpty();
    assertThat(slugs("&created_after=2000-01-01T00:00:00%2B02:00")).containsExactlyElementsOf(FLEET);
  }

  @Test
  void answersCarryThePlan() {
    JsonObject alpha = ts.api.get(TENANTS + "?q=srch-alpha", superAdmin).bodyAsJsonObject().getJsonArray("items")
      .getJsonObject(0);
    assertThat(alpha.getString("plan")).isEqualTo("gold");
    assertThat(alpha.getString("status")).isEqualTo("active");
  }

  @Test
  void pagesFollowTheCursorWithTheSameFilters() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = ts.api.get(TENANTS + "?q=srch-&state=active&limit=2"
        + (cursor == null ? "" : "&cursor=" + cursor), superAdmin).bodyAsJsonObject();
      seen.addAll(slugsOf(page.getJsonArray("items")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).containsExactly("srch-alpha", "srch-beta", "srch-kid");
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void anUnfilteredListingPagesAsBefore() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = ts.api.get(TENANTS + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), superAdmin)
        .bodyAsJsonObject();
      seen.addAll(slugsOf(page.getJsonArray("items")));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertThat(seen).containsSubsequence(FLEET).contains("other-org");
  }

  @Test
  void theOverviewCountsByStateTierAndPlanUnderTheSameFilters() {
    HttpResponse<Buffer> overview = ts.api.get("/admin/v1/tenant-overview?q=srch-", superAdmin);
    assertThat(overview.statusCode()).as(overview.bodyAsString()).isEqualTo(200);
    JsonObject counts = overview.bodyAsJsonObject();
    assertThat(counts.getLong("total")).isEqualTo(6);
    assertThat(counts.getJsonObject("by_state")).isEqualTo(new JsonObject().put("provisioning", 0).put("active", 3)
      .put("suspended", 1).put("archived", 1).put("deleted", 1));
    assertThat(counts.getJsonObject("by_tier")).isEqualTo(new JsonObject().put("shared", 5).put("schema", 1)
      .put("database", 0));
    assertThat(counts.getJsonObject("by_plan")).isEqualTo(new JsonObject().put("default", 4).put("gold", 2));

    JsonObject gold = ts.api.get("/admin/v1/tenant-overview?q=srch-&plan=gold", superAdmin).bodyAsJsonObject();
    assertThat(gold.getLong("total")).isEqualTo(2);
    assertThat(gold.getJsonObject("by_state").getLong("suspended")).isEqualTo(1);
    assertThat(gold.getJsonObject("by_plan")).isEqualTo(new JsonObject().put("gold", 2));

    JsonObject none = ts.api.get("/admin/v1/tenant-overview?q=no-such-prefix", superAdmin).bodyAsJsonObject();
    assertThat(none.getLong("total")).isZero();
    assertThat(none.getJsonObject("by_plan")).isEmpty();
  }

  @Test
  void badFilterValuesAreRefusedNamingTheParameter() {
    for (String path : List.of(TENANTS, "/admin/v1/tenant-overview")) {
      assertThat(assertProblem(ts.api.get(path + "?state=alive", superAdmin), 400).getString("detail"))
        .contains("state").contains("suspended");
      assertThat(assertProblem(ts.api.get(path + "?tier=cloud", superAdmin), 400).getString("detail"))
        .contains("tier").contains("schema");
      assertThat(assertProblem(ts.api.get(path + "?plan=Gold!", superAdmin), 400).getString("detail")).contains("plan");
      assertThat(assertProblem(ts.api.get(path + "?created_after=yesterday", superAdmin), 400).getString("detail"))
        .contains("created_after").contains("RFC 3339");
      assertThat(assertProblem(ts.api.get(path + "?created_before=2026-01-01", superAdmin), 400).getString("detail"))
        .contains("created_before");
      assertThat(assertProblem(ts.api.get(path + "?parent=no-such-tenant", superAdmin), 400).getString("detail"))
        .contains("parent");
      assertThat(assertProblem(ts.api.get(path + "?status=active", superAdmin), 400).getString("detail"))
        .contains("status").contains("state");
    }
  }

  @Test
  void aTenantAdminGetsNoFleetView() {
    assertProblem(ts.api.get(TENANTS + "?q=srch-", tenantAdmin), 403);
    assertProblem(ts.api.get("/admin/v1/tenant-overview", tenantAdmin), 403);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.GET, "/admin/v1/tenant-overview", null)), 401);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

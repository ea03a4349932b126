package io.tenantry.ratelimit;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tenantry.ratelimit.Limited.NOTES;
import static io.tenantry.ratelimit.Limited.header;
import static io.tenantry.ratelimit.Limited.limits;
import static io.tenantry.ratelimit.Limited.setLimits;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** GET/PUT /admin/v1/tenants/{slug}/limits and the plans routes. */
class LimitsAdminApiTest {
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

  private static HttpResponse<Buffer> get(String slug, String token) {
    return ts.api.get("/admin/v1/tenants/" + slug + "/limits", token);
  }

  private static HttpResponse<Buffer> put(String path, String token, JsonObject body) {
    return ts.api.send(ts.api.request(HttpMethod.PUT, path, token), body);
  }

  @Test
  void aNewTenantIsOnTheDefaultPlanWithNoOverride() {
    ts.createTenant(admin, "fresh");
    HttpResponse<Buffer> r = get("fresh", admin);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("plan")).isEqualTo("default");
    assertThat(body.getInteger("rate")).isEqualTo(100);
    assertThat(body.getInteger("burst")).isEqualTo(200);
    assertThat(body.getInteger("write_cost")).isEqualTo(1);
    assertThat(body.getValue("user_rate")).isNull();
    assertThat(body.getJsonObject("sources").getString("rate")).isEqualTo("plan");
    assertThat(body.getValue("override")).isNull();
  }

  @Test
  void putOverridesWhatItNamesAndGetSaysWhereEachValueComesFrom() {
    ts.createTenant(admin, "overridden");
    JsonObject put = setLimits(ts, admin, "overridden", limits(5, 10));
    JsonObject got = get("overridden", admin).bodyAsJsonObject();
    assertThat(got).isEqualTo(put);
    assertThat(got.getInteger("rate")).isEqualTo(5);
    assertThat(got.getInteger("burst")).isEqualTo(10);
    assertThat(got.getInteger("write_cost")).isEqualTo(1);
    JsonObject sources = got.getJsonObject("sources");
    assertThat(sources.getString("rate")).isEqualTo("override");
    assertThat(sources.getString("burst")).isEqualTo("override");
    assertThat(sources.getString("write_cost")).isEqualTo("plan");
    assertThat(got.getJsonObject("plan_limits").getInteger("rate")).isEqualTo(100);
  }

  @Test
  void putReplacesTheWholeOverrideAndAnEmptyOneRemovesIt() {
    ts.createTenant(admin, "replaced");
    setLimits(ts, admin, "replaced", new JsonObject().put("rate", 5));
    JsonObject second = setLimits(ts, admin, "replaced", new JsonObject().put("burst", 9));
    assertThat(second.getInteger("rate")).as("no longer overridden").isEqualTo(100);
    assertThat(second.getInteger("burst")).isEqualTo(9);
    JsonObject cleared = setLimits(ts, admin, "replaced", new JsonObject());
    assertThat(cleared.getValue("override")).isNull();
    assertThat(cleared.getInteger("burst")).isEqualTo(200);
  }

  @Test
  void aPlanCanBeCreatedAssignedAndChangedAndTheChangeAppliesToItsTenants() {
    HttpResponse<Buffer> created = put("/admin/v1/plans/small", admin,
      new JsonObject().put("rate", 2).put("burst", 4).put("write_cost", 2));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    assertThat(created.bodyAsJsonObject().getString("name")).isEqualTo("small");
    String token = ts.tenantWithUser(admin, "on-small", "member");
    JsonObject moved = setLimits(ts, admin, "on-small", new JsonObject().put("plan", "small"));
    assertThat(moved.getString("plan")).isEqualTo("small");
    assertThat(moved.getInteger("write_cost")).isEqualTo(2);
    assertThat(header(ts.api.get(NOTES, token), "RateLimit-Limit")).isEqualTo(4);

    put("/admin/v1/plans/small", admin, new JsonObject().put("rate", 2).put("burst", 6));
    assertThat(header(ts.api.get(NOTES, token), "RateLimit-Limit")).isEqualTo(6);
    JsonObject plans = ts.api.get("/admin/v1/plans", admin).bodyAsJsonObject();
    assertThat(plans.getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("name"))).contains("default", "small");
  }

  @Test
  void badInputIsAProblemAndChangesNothing() {
    ts.createTenant(admin, "guarded");
    setLimits(ts, admin, "guarded", limits(5, 10));
    for (JsonObject bad : new JsonObject[] {
      new JsonObject().put("rate", 0),
      new JsonObject().put("rate", 1.5),
      new JsonObject().put("burst", "ten"),
      new JsonObject().put("burst", 1_000_001),
      new JsonObject().put("write_cost", 101),
      new JsonObject().put("speed", 3),
      new JsonObject().put("plan", "Not A Plan"),
      new JsonObject().put("plan", "no-such-plan"),
      new JsonObject().put("user_rate", 1)}) {
      assertProblem(put("/admin/v1/tenants/guarded/limits", admin, bad), 400);
    }
    assertProblem(put("/admin/v1/plans/UPPER", admin, limits(1, 1)), 400);
    assertProblem(put("/admin/v1/plans/half", admin, new JsonObject().put("rate", 1).put("burst", 1).put("user_rate", 1)), 400);
    assertProblem(put("/admin/v1/plans/no-burst", admin, new JsonObject().put("rate", 1)), 400);
    JsonObject unchanged = get("guarded", admin).bodyAsJsonObject();
    assertThat(unchanged.getInteger("rate")).isEqualTo(5);
    assertThat(unchanged.getInteger("burst")).isEqualTo(10);
  }

  @Test
  void onlySuperAdminsMaySeeOrChangeLimits() {
    String tenantAdmin = ts.tenantWithUser(admin, "self-service", "tenant_admin");
    assertProblem(get("self-service", tenantAdmin), 403);
    assertProblem(put("/admin/v1/tenants/self-service/limits", tenantAdmin, limits(1000, 1000)), 403);
    assertProblem(put("/admin/v1/plans/default", tenantAdmin, limits(1000, 1000)), 403);
    assertProblem(ts.api.get("/admin/v1/plans", tenantAdmin), 403);
    assertProblem(get("self-service", null), 401);
    assertProblem(get("nobody-here", admin), 404);
    assertProblem(put("/admin/v1/tenants/nobody-here/limits", admin, limits(1, 1)), 404);
  }
}

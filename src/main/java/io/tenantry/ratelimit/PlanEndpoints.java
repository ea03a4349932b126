package io.tenantry.ratelimit;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** GET /admin/v1/plans and PUT /admin/v1/plans/{name} (super-admin). A change applies to every tenant on the plan. */
public final class PlanEndpoints {
  private final LimitsStore store;
  private final LimitsCache cache;

  public PlanEndpoints(LimitsStore store, LimitsCache cache) {
    this.store = store;
    this.cache = cache;
  }

  public void list(RoutingContext ctx) {
    store.plans()
      .onSuccess(plans -> {
        JsonArray items = new JsonArray();
        plans.forEach(plan -> items.add(plan.toJson()));
        Responses.json(ctx, 200, new JsonObject().put("items", items));
      })
      .onFailure(ctx::fail);
  }

  /** Creates or replaces a plan. */
  public void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!Plan.NAME.matcher(name).matches()) {
      ctx.fail(Problem.badRequest("a plan name must match " + Plan.NAME.pattern()));
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    Limits limits = LimitsJson.plan(body);
    Long storageBytes = LimitsJson.storage(body, "storage_bytes");
    Long storageFiles = LimitsJson.storage(body, "storage_files");
    store.savePlan(new Plan(name, limits))
      .compose(saved -> store.updatePlanStorage(name, storageBytes, storageFiles)
        .map(v -> saved.toJson().put("storage_bytes", storageBytes).put("storage_files", storageFiles)))
      .onSuccess(saved -> {
        cache.planChanged();
        Responses.json(ctx, 200, saved);
      })
      .onFailure(ctx::fail);
  }
}

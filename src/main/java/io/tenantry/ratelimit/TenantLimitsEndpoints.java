package io.tenantry.ratelimit;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/** GET and PUT /admin/v1/tenants/{slug}/limits (super-admin): a tenant's plan, override and effective limits. */
public final class TenantLimitsEndpoints {
  private final TenantStore tenants;
  private final LimitsStore store;
  private final LimitsCache cache;

  public TenantLimitsEndpoints(TenantStore tenants, LimitsStore store, LimitsCache cache) {
    this.tenants = tenants;
    this.store = store;
    this.cache = cache;
  }

  public void get(RoutingContext ctx) {
    tenant(ctx)
      .compose(this::view)
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  /** Sets the plan (when "plan" is given) and replaces the override: absent or null values inherit from the plan. */
  public void put(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String plan = body.getString("plan");
    if (plan != null && !Plan.NAME.matcher(plan).matches()) {
      ctx.fail(Problem.badRequest("plan must match " + Plan.NAME.pattern()));
      return;
    }
    LimitOverride override = LimitsJson.override(body);
    Long storageBytes = LimitsJson.storage(body, "storage_bytes");
    Long storageFiles = LimitsJson.storage(body, "storage_files");
    Long subtreeBytes = LimitsJson.storage(body, "storage_subtree_bytes");
    Long subtreeFiles = LimitsJson.storage(body, "storage_subtree_files");
    tenant(ctx)
      .compose(tenant -> planFor(tenant, plan)
        .map(limits -> {
          override.checkAgainst(limits);
          return tenant;
        }))
      .compose(tenant -> store.update(tenant.id(), plan, override)
        .compose(v -> store.updateStorage(tenant.id(), storageBytes, storageFiles, subtreeBytes, subtreeFiles)).map(tenant))
      .onSuccess(tenant -> cache.tenantChanged(tenant.id()))
      .compose(this::view)
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  /** The limits of the plan the tenant will be on: the one named, or its current one. */
  private Future<Limits> planFor(Tenant tenant, String plan) {
    if (plan == null) {
      return store.byTenant(tenant.id()).map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")).plan().limits());
    }
    return store.plan(plan).map(found -> found.orElseThrow(() -> Problem.badRequest("there is no plan named '" + plan + "'")).limits());
  }

  private Future<JsonObject> view(Tenant tenant) {
    return store.byTenant(tenant.id())
      .map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")).toJson(tenant.slug()))
      .compose(json -> store.storageView(tenant.id()).map(storage -> json.put("storage", storage)));
  }

  private Future<Tenant> tenant(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    Future<Optional<Tenant>> found = Tenant.SLUG.matcher(slug).matches()
      ? tenants.bySlug(slug) : Future.succeededFuture(Optional.empty());
    return found.map(tenant -> tenant.orElseThrow(() -> Problem.notFound("unknown tenant")));
  }
}

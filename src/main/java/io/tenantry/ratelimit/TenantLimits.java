package io.tenantry.ratelimit;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A tenant's plan, its override and the limits in force, with where each value comes from. */
public record TenantLimits(UUID tenantId, Plan plan, LimitOverride override, Limits effective) {

  public static TenantLimits of(UUID tenantId, Plan plan, LimitOverride override) {
    return of(tenantId, plan, override, null);
  }

  /** @param subtree the subtree budgets above the tenant, null when none applies */
  public static TenantLimits of(UUID tenantId, Plan plan, LimitOverride override, Subtree subtree) {
    return new TenantLimits(tenantId, plan, override, override.applyTo(plan.limits()).withSubtree(subtree));
  }

  /** For GET /admin/v1/tenants/{slug}/limits. */
  public JsonObject toJson(String slug) {
    return new JsonObject()
      .put("tenant_id", tenantId.toString())
      .put("slug", slug)
      .put("plan", plan.name())
      .mergeIn(effective.toJson())
      .put("sources", new JsonObject()
        .put("rate", source(override.rate()))
        .put("burst", source(override.burst()))
        .put("user_rate", effective.userRate() == null ? null : source(override.userRate()))
        .put("user_burst", effective.userBurst() == null ? null : source(override.userBurst()))
        .put("write_cost", source(override.writeCost())))
      .put("plan_limits", plan.limits().toJson())
      .put("override", override.isEmpty() ? null : override.toJson());
  }

  private static String source(Integer overridden) {
    return overridden != null ? "override" : "plan";
  }
}

package io.tenantry.metering;

import io.tenantry.auth.Access;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GET /api/v1/usage — a tenant's usage for its admins (with subtree=true, also the tenants below it: a parent
 * organization's view); GET /admin/v1/usage — super-admins' ranking of all tenants by one meter.
 */
public final class UsageEndpoints {
  private final UsageQuery query;

  public UsageEndpoints(UsageQuery query) {
    this.query = query;
  }

  public void tenantUsage(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Tenant tenant = Tenant.of(ctx);
    if (caller == null || tenant == null || !Access.canAdminister(caller, tenant)) {
      ctx.fail(Problem.forbidden("usage is for the tenant's admins (tenant_admin, or an API key with the admin scope)"));
      return;
    }
    UsageRange range = UsageRange.of(ctx);
    Meter only = meter(ctx);
    boolean subtree = "true".equals(ctx.queryParams().get("subtree"));
    Responses.when(ctx, query.tenants(tenant.id(), subtree).compose(slugs ->
      query.usage(List.copyOf(slugs.keySet()), range.from(), range.to(), range.granularity())
        .map(usage -> answer(range, slugs, only == null ? usage
          : usage.stream().filter(u -> u.meter() == only).toList()))), body -> Responses.json(ctx, 200, body));
  }

  public void platformUsage(RoutingContext ctx) {
    UsageRange range = UsageRange.of(ctx);
    Meter meter = meter(ctx);
    if (meter == null) {
      throw Problem.badRequest("meter is required: one of " + Meter.names());
    }
    int top = top(ctx);
    Responses.when(ctx, query.allTenants().compose(slugs ->
      query.usage(List.copyOf(slugs.keySet()), range.from(), range.to(), "day").map(usage -> {
        Map<UUID, Long> totals = new HashMap<>();
        usage.stream().filter(u -> u.meter() == meter)
          .forEach(u -> totals.merge(u.tenantId(), u.quantity(), meter.kind == Meter.Kind.GAUGE ? Math::max : Long::sum));
        List<Map.Entry<UUID, Long>> ranked = new ArrayList<>(totals.entrySet());
        ranked.sort(Map.Entry.<UUID, Long>comparingByValue(Comparator.reverseOrder())
          .thenComparing(e -> slugs.get(e.getKey())));
        JsonArray items = new JsonArray();
        ranked.stream().limit(top).forEach(e -> items.add(new JsonObject().put("tenant", slugs.get(e.getKey()))
          .put("tenant_id", e.getKey().toString()).put("quantity", e.getValue())));
        return new JsonObject().put("from", range.from().toString()).put("to", range.to().toString())
          .put("meter", meter.id()).put("items", items);
      })), body -> Responses.json(ctx, 200, body));
  }

  private static JsonObject answer(UsageRange range, Map<UUID, String> slugs, List<UsageQuery.Usage> usage) {
    return new JsonObject().put("from", range.from().toString()).put("to", range.to().toString())
      .put("granularity", range.granularity()).put("items", UsageQuery.json(usage, slugs));
  }

  private static Meter meter(RoutingContext ctx) {
    String id = ctx.queryParams().get("meter");
    return id == null ? null : Meter.parse(id);
  }

  private static int top(RoutingContext ctx) {
    String value = ctx.queryParams().get("top");
    if (value == null) {
      return 10;
    }
    try {
      int top = Integer.parseInt(value);
      if (top >= 1 && top <= 1000) {
        return top;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.badRequest("top must be a whole number from 1 to 1000, got '" + value + "'");
  }
}

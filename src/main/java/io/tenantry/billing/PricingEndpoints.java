package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.vertx.ext.web.RoutingContext;

/** GET and PUT /admin/v1/plans/{name}/pricing (super-admin). */
public final class PricingEndpoints {
  private final PricingStore store;

  PricingEndpoints(PricingStore store) {
    this.store = store;
  }

  public void get(RoutingContext ctx) {
    String plan = ctx.pathParam("name");
    Responses.when(ctx, store.get(plan), found -> found.ifPresentOrElse(
      pricing -> Responses.json(ctx, 200, pricing.toJson()),
      () -> ctx.fail(Problem.notFound("plan '" + plan + "' has no prices (it is free); PUT sets them"))));
  }

  public void put(RoutingContext ctx) {
    PlanPricing pricing = PlanPricing.fromJson(ctx.pathParam("name"), ctx.body().asJsonObject());
    Responses.when(ctx, store.put(pricing), stored -> Responses.json(ctx, 200, stored.toJson()));
  }
}

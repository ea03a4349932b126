package io.tenantry.admin;

import io.tenantry.http.Responses;
import io.tenantry.pool.TenantPools;
import io.vertx.ext.web.RoutingContext;

/** GET /admin/v1/pools: what the tenant pools are doing (in flight per tier, waiters, rejections, open pools). */
public final class PoolsEndpoint {
  private final TenantPools pools;

  public PoolsEndpoint(TenantPools pools) {
    this.pools = pools;
  }

  public void handle(RoutingContext ctx) {
    Responses.json(ctx, 200, pools.stats());
  }
}

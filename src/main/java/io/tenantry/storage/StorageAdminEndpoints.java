package io.tenantry.storage;

import io.tenantry.admin.Delegation;
import io.tenantry.auth.Caller;
import io.tenantry.http.Responses;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /admin/v1/tenants/{slug}/storage: a tenant's file usage and storage quotas and, when its subtree shares a
 * quota, the subtree's usage. For a tenant_admin of the tenant or of an ancestor, or a super-admin
 * ({@link Delegation#administered}); the check reads the database, so a suspension counts at once.
 */
public final class StorageAdminEndpoints {
  private final Delegation delegation;
  private final Quotas quotas;

  StorageAdminEndpoints(Delegation delegation, Quotas quotas) {
    this.delegation = delegation;
    this.quotas = quotas;
  }

  public void get(RoutingContext ctx) {
    delegation.administered(Caller.of(ctx), ctx.pathParam("slug"), null)
      .compose(quotas::adminView)
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }
}

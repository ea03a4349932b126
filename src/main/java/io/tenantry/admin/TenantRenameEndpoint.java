package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * PATCH /admin/v1/tenants/{slug}: changes what may change of a tenant itself — its display name, for now (the
 * document's schema refuses any other field). Allowed as other writes on the tenant are
 * ({@link TenantAdminEndpoints#administered}): a super-admin, or an admin of the tenant or of an ancestor while the
 * tenant is active; an archived or deleted tenant is read-only. Every node's cached tenant is evicted.
 */
public final class TenantRenameEndpoint {
  private final TenantAdminEndpoints tenants;
  private final TenantStore store;
  private final TenantRegistry registry;

  public TenantRenameEndpoint(TenantAdminEndpoints tenants, TenantStore store, TenantRegistry registry) {
    this.tenants = tenants;
    this.store = store;
    this.registry = registry;
  }

  public void patch(RoutingContext ctx) {
    String name = ctx.body().asJsonObject().getString("name");
    if (name == null || name.isBlank()) {
      ctx.fail(Problem.badRequest("name must be a non-blank string of at most 200 characters"));
      return;
    }
    tenants.administered(ctx, true)
      .compose(tenant -> store.rename(tenant.id(), name.strip()))
      .compose(renamed -> renamed.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(Problem.notFound("unknown tenant"))))
      .onSuccess(registry::changed)
      .compose(tenant -> tenants.view(Caller.of(ctx), tenant))
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }
}

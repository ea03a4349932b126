package io.tenantry.provisioning;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /admin/v1/tenants/{slug}/provisioning, POST .../provisioning/retry, and the DELETE of a tenant that never
 * finished provisioning. Who may is decided by the route's guards (a super-admin, or an admin of an ancestor); the
 * tenant is read fresh from the database, not the cache, since its state is what is being watched.
 */
public final class ProvisioningEndpoints {
  private final TenantStore tenants;
  private final Provisioning provisioning;

  public ProvisioningEndpoints(TenantStore tenants, Provisioning provisioning) {
    this.tenants = tenants;
    this.provisioning = provisioning;
  }

  public void get(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(tenant -> provisioning.view(tenant, superAdmin(ctx))),
      body -> Responses.json(ctx, 200, body));
  }

  public void retry(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(provisioning::retry)
        .compose(tenant -> provisioning.view(tenant, superAdmin(ctx))),
      body -> Responses.json(ctx, 200, body));
  }

  /** deleteTenant's step for a tenant still provisioning: rolled back at once; any other goes on to the lifecycle. */
  public void deleteIfProvisioning(RoutingContext ctx) {
    tenant(ctx).onSuccess(tenant -> {
      if (tenant.status() != Tenant.Status.PROVISIONING) {
        ctx.next();
      } else {
        provisioning.rollback(tenant).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
      }
    }).onFailure(ctx::fail);
  }

  private Future<Tenant> tenant(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (slug == null || !Tenant.SLUG.matcher(slug).matches()) {
      return Future.failedFuture(Problem.notFound("unknown tenant"));
    }
    return tenants.bySlug(slug).map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")));
  }

  private static boolean superAdmin(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return caller != null && caller.superAdmin();
  }
}

package io.tenantry.lifecycle;

import io.tenantry.admin.TenantView;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.function.Function;

/**
 * archive, restore and (soft) delete of /admin/v1/tenants/{slug}. Who may is decided by the route's guards
 * (HierarchyEndpoints.belowCaller: a super-admin, or a tenant_admin of an ancestor, never on its own tenant); this
 * checks the move against the tenant's current state, read fresh from the database rather than the cache.
 */
public final class LifecycleEndpoints {
  private final TenantStore tenants;
  private final TenantRegistry registry;
  private final LifecycleStore store;

  public LifecycleEndpoints(TenantStore tenants, TenantRegistry registry, io.vertx.sqlclient.Pool pool, int graceSeconds) {
    this.tenants = tenants;
    this.registry = registry;
    this.store = new LifecycleStore(pool, graceSeconds);
  }

  LifecycleStore store() {
    return store;
  }

  public void archive(RoutingContext ctx) {
    move(ctx, Transition.ARCHIVE, store::archive, true);
  }

  public void delete(RoutingContext ctx) {
    move(ctx, Transition.DELETE, store::delete, false);
  }

  public void restore(RoutingContext ctx) {
    move(ctx, Transition.RESTORE, store::restore, true);
  }

  private void move(RoutingContext ctx, Transition transition, Function<UUID, Future<Boolean>> update, boolean answerTenant) {
    Caller caller = Caller.of(ctx);
    tenants.bySlug(ctx.pathParam("slug"))
      .compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(Problem.notFound("unknown tenant"))))
      .compose(tenant -> !transition.allowedFrom(tenant.status())
        ? Future.failedFuture(transition.refused(tenant))
        : update.apply(tenant.id()).compose(done -> done ? reread(tenant) : refusedNow(transition, tenant)))
      .onSuccess(tenant -> {
        registry.changed(tenant);
        if (answerTenant) {
          Responses.json(ctx, 200, TenantView.of(caller, tenant));
        } else {
          Responses.noContent(ctx);
        }
      })
      .onFailure(ctx::fail);
  }

  private Future<Tenant> reread(Tenant before) {
    return tenants.byId(before.id()).map(after -> after.orElse(before));
  }

  /** The state changed under us, or a deleted tenant's grace period is over: say what it is now. */
  private Future<Tenant> refusedNow(Transition transition, Tenant before) {
    return tenants.byId(before.id()).compose(now -> {
      Tenant tenant = now.orElse(before);
      if (transition == Transition.RESTORE && tenant.status() == Tenant.Status.DELETED) {
        return Future.failedFuture(Problem.of(409, "illegal-transition", "Illegal lifecycle transition",
          "tenant '" + tenant.slug() + "' is deleted and its grace period is over; it is being purged"));
      }
      return Future.failedFuture(transition.refused(tenant));
    });
  }
}

package io.tenantry.admin;

import io.tenantry.auth.Access;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;

import java.util.Optional;

/**
 * Delegated administration: which tenant named by a slug the caller may administer, answered from the tenant cache
 * (a tenant carries its ancestors' ids). A tenant_admin reaches its own tenant and everything below it, never an
 * ancestor or a sibling; every refusal, and an unknown slug, is the same 403, so nothing can be enumerated.
 */
public final class Delegation {
  static final Problem REFUSED = Problem.forbidden("you cannot administer this tenant");

  public enum Reach {
    /** The caller's own tenant or any tenant below it. */
    SELF_OR_BELOW,
    /** Only tenants strictly below the caller's own (suspending or moving one's own tenant is a super-admin's). */
    BELOW
  }

  private final TenantRegistry registry;

  public Delegation(TenantRegistry registry) {
    this.registry = registry;
  }

  /**
   * The tenant, if the caller reaches it. A super-admin reaches every tenant and learns when one does not exist
   * (404). A write by a tenant_admin also needs the admin's own tenant to be active: suspension stops its admins.
   */
  public Future<Tenant> target(Caller caller, String slug, Reach reach, boolean write) {
    if (caller == null) {
      return Future.failedFuture(Problem.unauthorized("authentication is required"));
    }
    Future<Optional<Tenant>> found = slug != null && Tenant.SLUG.matcher(slug).matches()
      ? registry.bySlug(slug) : Future.succeededFuture(Optional.empty());
    return found.compose(tenant -> {
      if (caller.superAdmin()) {
        return tenant.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(Problem.notFound("unknown tenant")));
      }
      if (tenant.isEmpty() || !reaches(caller, tenant.get(), reach)) {
        return Future.failedFuture(REFUSED);
      }
      return write ? ownTenantActive(caller).map(tenant.get()) : Future.succeededFuture(tenant.get());
    });
  }

  Future<Void> ownTenantActive(Caller caller) {
    return registry.byId(caller.tenantId()).compose(own -> own.filter(Tenant::active).isPresent()
      ? Future.succeededFuture()
      : Future.failedFuture(Problem.forbidden("your own tenant is not active; only a super-admin can make changes "
        + "until it is active again")));
  }

  private static boolean reaches(Caller caller, Tenant tenant, Reach reach) {
    return reach == Reach.BELOW
      ? caller.roles().contains(Caller.TENANT_ADMIN) && tenant.below(caller.tenantId())
      : Access.canAdminister(caller, tenant);
  }
}

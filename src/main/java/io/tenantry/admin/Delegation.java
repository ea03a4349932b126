package io.tenantry.admin;

import io.tenantry.auth.Access;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Delegated administration: which tenant named by a slug the caller may administer, answered from the tenant cache
 * (a tenant carries its ancestors' ids). A tenant_admin reaches its own tenant and everything below it, never an
 * ancestor or a sibling; every refusal, and an unknown slug, is the same 403, so nothing can be enumerated.
 */
public final class Delegation {
  public static final Problem REFUSED = Problem.forbidden("you cannot administer this tenant");

  public enum Reach {
    /** The caller's own tenant or any tenant below it. */
    SELF_OR_BELOW,
    /** Only tenants strictly below the caller's own (suspending or moving one's own tenant is a super-admin's). */
    BELOW
  }

  private final Function<String, Future<Optional<Tenant>>> bySlug;
  private final Function<UUID, Future<Optional<Tenant>>> byId;

  /** Answered from the tenant cache. */
  public Delegation(TenantRegistry registry) {
    this(registry::bySlug, registry::byId);
  }

  /** Answered from the database: routes whose checks must see a status change at once. */
  public Delegation(TenantStore store) {
    this(store::bySlug, store::byId);
  }

  private Delegation(Function<String, Future<Optional<Tenant>>> bySlug, Function<UUID, Future<Optional<Tenant>>> byId) {
    this.bySlug = bySlug;
    this.byId = byId;
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
      ? bySlug.apply(slug) : Future.succeededFuture(Optional.empty());
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

  /**
   * The tenant named by an administration route's slug, if the caller administers it ({@link Access#canAdminister}):
   * a super-admin, who learns when it does not exist (404), or a tenant_admin of it or of an ancestor — every
   * refusal, and an unknown slug, the same 403. When the caller would change something ({@code change} names it for
   * the refusal: "it", "its indexes", ...), a tenant_admin also needs the tenant active (suspension stops its admins,
   * whose tokens outlive it) and, acting below its own tenant, its own tenant active; {@code change} null is a read.
   */
  public Future<Tenant> administered(Caller caller, String slug, String change) {
    return reached(caller, slug).compose(tenant -> mayChange(caller, tenant, change));
  }

  /** {@link #administered} without the conditions of a change: the tenant if the caller administers it. */
  public Future<Tenant> reached(Caller caller, String slug) {
    if (caller == null) {
      return Future.failedFuture(Problem.unauthorized("authentication is required"));
    }
    Future<Optional<Tenant>> found = slug != null && Tenant.SLUG.matcher(slug).matches()
      ? bySlug.apply(slug) : Future.succeededFuture(Optional.empty());
    return found.compose(lookedUp -> {
      if (lookedUp.isEmpty()) {
        return Future.failedFuture(caller.superAdmin() ? Problem.notFound("unknown tenant") : REFUSED);
      }
      return Access.canAdminister(caller, lookedUp.get()) ? Future.succeededFuture(lookedUp.get())
        : Future.failedFuture(REFUSED);
    });
  }

  /** The conditions of {@link #administered}'s change, for a tenant the caller administers. */
  public Future<Tenant> mayChange(Caller caller, Tenant tenant, String change) {
    if (change == null || caller.superAdmin()) {
      return Future.succeededFuture(tenant);
    }
    if (!tenant.active()) {
      return Future.failedFuture(Problem.forbidden("the tenant is " + tenant.status().sql()
        + "; only a super-admin can change " + change + " until it is active again"));
    }
    return tenant.below(caller.tenantId()) ? ownTenantActive(caller).map(tenant) : Future.succeededFuture(tenant);
  }

  public Future<Void> ownTenantActive(Caller caller) {
    return byId.apply(caller.tenantId()).compose(own -> own.filter(Tenant::active).isPresent()
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

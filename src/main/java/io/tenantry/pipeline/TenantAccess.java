package io.tenantry.pipeline;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRef;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the tenant a data-plane request acts in, and only one the caller may act in. A token bound to a tenant
 * resolves that tenant alone: every other name in the request must be it, or the request is refused — with the
 * same answer whether the other tenant exists or not, without looking it up, so a member of one tenant learns
 * nothing of another (not its existence, its state or its rate limit). Only a super-admin's token, which names no
 * tenant, looks names up — through the registry's cache, which remembers unknown names for a while — and a
 * super-admin who keeps naming unknown tenants is slowed down ({@link FailedResolutions}); a non-admin's token
 * without a tenant is refused.
 */
final class TenantAccess {
  static final Problem REFUSED = Problem.forbidden("this token is not valid for the tenant the request names");
  /** The caller's own tenant was deleted: its members may know that much (requests in flight end the same way). */
  static final Problem OWN_TENANT_GONE = Problem.notFound("the tenant this token is for no longer exists");
  /** An archived tenant is read-only (docs/tenants.md#lifecycle). */
  static final Problem ARCHIVED = Problem.of(403, "tenant-archived", "Tenant archived",
    "the tenant is archived: it is read-only until it is restored");
  static final Problem TENANTLESS = Problem.forbidden("this token names no tenant, and such tokens are for "
    + "super-admins; get a token for your tenant: POST /auth/token with \"tenant\": \"<slug>\"");

  private final TenantRegistry registry;
  private final FailedResolutions failures;

  TenantAccess(TenantRegistry registry, FailedResolutions failures) {
    this.registry = registry;
    this.failures = failures;
  }

  /** The tenant the caller acts in, or a failed future with the problem to answer. */
  Future<Tenant> resolve(Caller caller, List<TenantRef> named, boolean write) {
    if (caller.tenantId() != null) {
      Future<Optional<Tenant>> own = registry.byId(caller.tenantId());
      return own.isComplete() ? ownTenant(caller, named, own, write)
        : own.transform(done -> ownTenant(caller, named, own, write));
    }
    if (!caller.superAdmin()) {
      return Future.failedFuture(TENANTLESS);
    }
    if (named.isEmpty()) {
      return Future.failedFuture(Problem.badRequest("no tenant named: a super-admin's token names no tenant, so use "
        + "the " + TenantNaming.TENANT_HEADER + " header, a <tenant>.<base domain> host or a /t/<tenant>/ path"));
    }
    if (failures.exhausted(caller.userId())) {
      return Future.failedFuture(failures.tooMany());
    }
    List<Future<Optional<Tenant>>> lookups = new ArrayList<>(named.size());
    for (TenantRef ref : named) {
      lookups.add(lookup(ref));
    }
    Future<?> all = lookups.size() == 1 ? lookups.get(0) : Future.all(lookups);
    return all.transform(done -> all.failed() ? Future.failedFuture(all.cause()) : agreed(caller, lookups, write));
  }

  private Future<Tenant> ownTenant(Caller caller, List<TenantRef> named, Future<Optional<Tenant>> own, boolean write) {
    if (own.failed()) {
      return Future.failedFuture(own.cause());
    }
    Tenant tenant = own.result().orElse(null);
    if (tenant == null) {
      return Future.failedFuture(OWN_TENANT_GONE);
    }
    if (!caller.holdsAny(Caller.TENANT_ROLES) && !caller.superAdmin()) {
      return Future.failedFuture(REFUSED);
    }
    for (int i = 0; i < named.size(); i++) {
      if (!names(named.get(i), tenant)) {
        return Future.failedFuture(REFUSED);
      }
    }
    return usable(tenant, write);
  }

  private Future<Tenant> agreed(Caller caller, List<Future<Optional<Tenant>>> lookups, boolean write) {
    Tenant first = null;
    for (Future<Optional<Tenant>> lookup : lookups) {
      Tenant tenant = lookup.result().orElse(null);
      if (tenant == null) {
        failures.record(caller.userId());
        return Future.failedFuture(Problem.notFound("unknown tenant"));
      }
      if (first == null) {
        first = tenant;
      } else if (!first.id().equals(tenant.id())) {
        return Future.failedFuture(Problem.forbidden("the request names more than one tenant"));
      }
    }
    return usable(first, write);
  }

  /** What the tenant's own members (and super-admins) may be told about its state. */
  private static Future<Tenant> usable(Tenant tenant, boolean write) {
    if (tenant.status() == Tenant.Status.DELETED) {
      return Future.failedFuture(OWN_TENANT_GONE);
    }
    if (tenant.status() == Tenant.Status.ARCHIVED) {
      return write ? Future.failedFuture(ARCHIVED) : Future.succeededFuture(tenant);
    }
    if (tenant.status() == Tenant.Status.SUSPENDED) {
      return Future.failedFuture(Problem.forbidden("the tenant is suspended"));
    }
    if (!tenant.active()) {
      return Future.failedFuture(Problem.unavailable("the tenant is still being provisioned", 2));
    }
    return Future.succeededFuture(tenant);
  }

  private static boolean names(TenantRef ref, Tenant tenant) {
    return ref.byId() ? ref.id().equals(tenant.id()) : ref.slug().equals(tenant.slug());
  }

  private Future<Optional<Tenant>> lookup(TenantRef ref) {
    if (ref.byId()) {
      return registry.byId(ref.id());
    }
    // A string that cannot be a slug never reaches the database.
    return Tenant.SLUG.matcher(ref.slug()).matches() ? registry.bySlug(ref.slug()) : Future.succeededFuture(Optional.empty());
  }
}

package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Route guards: which role a route needs. Each ends the request with a problem or calls {@code ctx.next()}. On the
 * data plane they run after the gate admitted the caller to the request's tenant; a tenant route reached without
 * a resolved tenant fails closed.
 */
public final class Access {
  private static final Set<String> READERS = Caller.TENANT_ROLES;
  private static final Set<String> WRITERS = Set.of(Caller.TENANT_ADMIN, Caller.MEMBER);

  /** Not expected: the gate resolves a tenant for every /api/ path the router routes. Refused, never served. */
  private static final Problem NO_TENANT = Problem.of(500, "internal", "Internal server error",
    "the request reached a tenant route without a resolved tenant");

  private Access() {
  }

  public static void superAdmin(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else if (!caller.superAdmin()) {
      ctx.fail(Problem.forbidden("this operation needs a super-admin"));
    } else {
      ctx.next();
    }
  }

  public static void tenantReader(RoutingContext ctx) {
    requireTenantRole(ctx, READERS, Scopes.RECORDS_READ);
  }

  public static void tenantWriter(RoutingContext ctx) {
    requireTenantRole(ctx, WRITERS, Scopes.RECORDS_WRITE);
  }

  /**
   * Admin routes a tenant's own callers may reach: an API-key caller needs the admin scope; the handler then checks
   * that the caller administers the tenant named.
   */
  public static void adminScope(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else if (!caller.allows(Scopes.ADMIN)) {
      ctx.fail(missingScope(Scopes.ADMIN));
    } else {
      ctx.next();
    }
  }

  /**
   * True when the caller may administer the tenant: super-admin, or tenant_admin (by token) of the tenant or of one
   * of its ancestors — answered from the tenant's cached path, without SQL.
   */
  public static boolean canAdminister(Caller caller, Tenant tenant) {
    return caller.superAdmin()
      || ((tenant.id().equals(caller.tenantId()) || tenant.below(caller.tenantId()))
        && caller.roles().contains(Caller.TENANT_ADMIN) && caller.allows(Scopes.ADMIN));
  }

  private static Problem missingScope(String scope) {
    return Problem.forbidden("this API key lacks the scope " + scope + " this operation needs");
  }

  private static void requireTenantRole(RoutingContext ctx, Set<String> allowed, String scope) {
    Caller caller = Caller.of(ctx);
    Tenant tenant = Tenant.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else if (tenant == null) {
      ctx.fail(NO_TENANT);
    } else if (!caller.superAdmin() && !tenant.id().equals(caller.tenantId())) {
      ctx.fail(Problem.forbidden("the token is not valid for this tenant"));
    } else if (!caller.holdsAny(allowed) && !caller.superAdmin()) {
      ctx.fail(Problem.forbidden("your role in this tenant does not allow this operation"));
    } else if (!caller.allows(scope)) {
      ctx.fail(missingScope(scope));
    } else {
      ctx.next();
    }
  }
}

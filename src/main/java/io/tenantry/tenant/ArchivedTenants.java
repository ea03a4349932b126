package io.tenantry.tenant;

import io.tenantry.http.Problem;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * An archived (or deleted, restorable) tenant is read-only for everyone, super-admins included, on the admin routes
 * that change what is in it (users, configuration, collection schemas); restoring it is the way back.
 */
public final class ArchivedTenants {
  private ArchivedTenants() {
  }

  public static boolean readOnly(Tenant tenant) {
    return tenant.status() == Tenant.Status.ARCHIVED || tenant.status() == Tenant.Status.DELETED;
  }

  /** The 403 for a write to a read-only tenant, or null when the request may go on. */
  public static Problem refusal(RoutingContext ctx, Tenant tenant) {
    HttpMethod method = ctx.request().method();
    boolean write = method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
    return write && readOnly(tenant) ? problem(tenant) : null;
  }

  public static Problem problem(Tenant tenant) {
    return Problem.of(403, "tenant-archived", "Tenant archived", "the tenant is " + tenant.status().sql()
      + ": nothing in it can change until it is restored (POST /admin/v1/tenants/" + tenant.slug() + "/restore)");
  }
}

package io.tenantry.metering;

import io.tenantry.tenant.TenantRegistry;
import io.vertx.ext.web.RoutingContext;

/**
 * Admin requests about a tenant (/admin/v1/tenants/{slug}/...) count on its requests_admin meter once answered with
 * success — a refused caller costs the tenant nothing, as on the data plane. The tenant is found in the registry's
 * cache after the response, off the request's path.
 */
public final class ControlPlaneUsage {
  private static final String PREFIX = "/admin/v1/tenants/";

  private final UsageMeter meter;
  private final TenantRegistry registry;

  ControlPlaneUsage(UsageMeter meter, TenantRegistry registry) {
    this.meter = meter;
    this.registry = registry;
  }

  /** Called by the gate for an authenticated control-plane request. */
  public void observe(RoutingContext ctx) {
    if (!meter.enabled()) {
      return;
    }
    String path = ctx.normalizedPath();
    if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
      return;
    }
    int end = path.indexOf('/', PREFIX.length());
    String slug = end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
    ctx.addEndHandler(ended -> {
      int status = ctx.response().getStatusCode();
      if (status < 400) {
        long bytes = ctx.response().bytesWritten();
        registry.bySlug(slug).onSuccess(found -> found.ifPresent(tenant ->
          meter.answered(tenant.id(), ctx.request().method(), path, bytes)));
      }
    });
  }
}

package io.tenantry.auth;

import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;

/** The lifetime of the tokens issued for a tenant: a tenant may shorten auth.token-ttl-seconds, never extend it. */
@FunctionalInterface
public interface TenantTokenTtl {
  Future<Integer> seconds(Tenant tenant);
}

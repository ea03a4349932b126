package io.tenantry.settings;

import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;

import java.util.List;

/**
 * A tenant's ancestors, root first, nearest last. The one place the tenant hierarchy enters configuration: until
 * tenants have parents, {@link #NONE}.
 */
@FunctionalInterface
public interface Ancestors {
  Ancestors NONE = tenant -> Future.succeededFuture(List.of());

  Future<List<Ancestor>> of(Tenant tenant);
}

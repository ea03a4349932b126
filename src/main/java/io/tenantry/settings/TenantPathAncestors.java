package io.tenantry.settings;

import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's ancestors from its cached path in the hierarchy (root first), each read through the tenant cache: no
 * query while the ancestors are cached. An ancestor deleted meanwhile is skipped.
 */
public final class TenantPathAncestors implements Ancestors {
  private final TenantRegistry registry;

  public TenantPathAncestors(TenantRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<List<Ancestor>> of(Tenant tenant) {
    List<UUID> path = tenant.path();
    if (path.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<Optional<Tenant>>> found = new ArrayList<>(path.size());
    for (UUID id : path) {
      found.add(registry.byId(id));
    }
    return Future.all(found).map(done -> {
      List<Ancestor> ancestors = new ArrayList<>(found.size());
      for (Future<Optional<Tenant>> one : found) {
        one.result().ifPresent(t -> ancestors.add(new Ancestor(t.id(), t.slug())));
      }
      return ancestors;
    });
  }
}

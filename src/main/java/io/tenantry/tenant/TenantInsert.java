package io.tenantry.tenant;

import io.vertx.core.Future;

import java.util.UUID;

/** How a new tenant's row is inserted: as a root ({@link TenantStore#create}) or under a parent ({@link TenantTree}). */
@FunctionalInterface
public interface TenantInsert {
  Future<Tenant> insert(UUID id, String slug, String name, Isolation isolation, DbTarget database);
}

package io.tenantry.provisioning;

import io.tenantry.pool.DedicatedPools;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Deleting tenants with their schema or database (creating them is {@link Provisioning}'s). The blocking part
 * (DDL) runs on worker threads.
 */
public final class TenantLifecycle {
  private final Vertx vertx;
  private final TenantStore store;
  private final TenantRegistry registry;
  private final TenantProvisioner provisioner;
  private final DedicatedPools dedicatedPools;
  private final TenantRedisKeys redisKeys;

  public TenantLifecycle(Vertx vertx, TenantStore store, TenantRegistry registry, TenantProvisioner provisioner,
                         DedicatedPools dedicatedPools, TenantRedisKeys redisKeys) {
    this.vertx = vertx;
    this.store = store;
    this.registry = registry;
    this.provisioner = provisioner;
    this.dedicatedPools = dedicatedPools;
    this.redisKeys = redisKeys;
  }

  /**
   * Removes the tenant row (its shared-tier rows cascade) and tells every node, so new requests find no tenant (404);
   * then closes its dedicated pool once the requests using it are done, drops its schema or database, and removes
   * its Redis keys. Requests still running when its data goes end with 404 or 503 (PgErrors), never 500.
   */
  public Future<Void> delete(Tenant tenant) {
    return store.delete(tenant.id())
      .onSuccess(v -> registry.changed(tenant))
      .compose(v -> dedicatedPools.close(tenant.id()))
      .compose(v -> vertx.executeBlocking(() -> {
        provisioner.deprovision(tenant.id(), tenant.isolation(), tenant.database());
        return null;
      }, false))
      .compose(v -> redisKeys.remove(tenant.id()))
      .compose(v -> filesRemover.apply(tenant.id()));
  }

  /** What else a deleted tenant leaves outside PostgreSQL and Redis: its files (io.tenantry.storage), set at boot. */
  private volatile java.util.function.Function<java.util.UUID, Future<Void>> filesRemover = id -> Future.succeededFuture();

  public void removeFilesWith(java.util.function.Function<java.util.UUID, Future<Void>> remover) {
    this.filesRemover = remover;
  }
}

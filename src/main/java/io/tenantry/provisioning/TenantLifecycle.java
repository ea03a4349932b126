package io.tenantry.provisioning;

import io.tenantry.http.Problem;
import io.tenantry.http.Uuids;
import io.tenantry.pool.DedicatedPools;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantInsert;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Creating and deleting tenants with their schema or database. The blocking part (DDL, Flyway) runs on worker
 * threads; a tenant is served only once its home is ready ('provisioning' until then), and a creation that fails
 * is rolled back so no half-made tenant remains.
 */
public final class TenantLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(TenantLifecycle.class);

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

  /** @param requested where a database-tier tenant's database goes; null for the default (platform server) */
  public Future<Tenant> create(String slug, String name, Isolation isolation, DbTarget requested) {
    return create(slug, name, isolation, requested, store::create);
  }

  /** @param insert inserts the row: a root, or a child under its parent (tenant.TenantTree) */
  public Future<Tenant> create(String slug, String name, Isolation isolation, DbTarget requested, TenantInsert insert) {
    UUID id = Uuids.v7();
    DbTarget database = isolation != Isolation.DATABASE ? null
      : requested != null ? requested : provisioner.defaultDatabase(id);
    return insert.insert(id, slug, name, isolation, database).compose(tenant -> tenant.isolation() == Isolation.SHARED
        ? Future.succeededFuture(tenant)
        : vertx.executeBlocking(() -> provisioner.provision(id, isolation, database), false)
          .compose(version -> store.provisioned(id, version))
          .recover(failure -> undo(tenant, failure)))
      // Every node forgets what it knew of the slug or id: a request may have cached it while 'provisioning'.
      .onSuccess(registry::changed);
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
      .compose(v -> redisKeys.remove(tenant.id()));
  }

  private Future<Tenant> undo(Tenant tenant, Throwable failure) {
    if (failure instanceof TenantProvisioner.DatabaseExistsException) {
      LOG.info("tenant {} not created: {}", tenant.slug(), failure.getMessage());
    } else {
      LOG.atError().setCause(failure).addKeyValue("tenantId", tenant.id()).log("provisioning failed; rolling back");
    }
    Problem problem = failure instanceof TenantProvisioner.DatabaseExistsException exists
      ? Problem.conflict(exists.getMessage() + "; name a new database")
      : Problem.unavailable("the tenant's " + tenant.isolation().sql() + " could not be provisioned; retry", 5);
    boolean ownsDatabase = !(failure instanceof TenantProvisioner.DatabaseExistsException);
    Future<Void> cleanup = ownsDatabase
      ? vertx.executeBlocking(() -> {
        provisioner.deprovision(tenant.id(), tenant.isolation(), tenant.database());
        return null;
      }, false)
      : Future.succeededFuture();
    return cleanup
      .otherwiseEmpty()
      .compose(v -> store.delete(tenant.id()))
      // the admin routes read tenants through the cache, which may hold it as 'provisioning'
      .onSuccess(v -> registry.changed(tenant))
      .transform(ignored -> Future.failedFuture(problem));
  }
}

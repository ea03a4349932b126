package io.tenantry.lifecycle;

import io.tenantry.provisioning.TenantLifecycle;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Removes for good the tenants deleted longer than tenancy.delete-grace-seconds ago, with the hard delete of
 * {@link TenantLifecycle#delete} (row and shared-tier rows, schema or database, Redis keys), and records each purge in
 * platform.tenant_purges. Every node runs it; a PostgreSQL advisory lock per tenant, held on one connection while
 * the purge runs, makes one node at a time purge a tenant, and the state is re-read under the lock so a tenant
 * restored meanwhile, or purged by another node, is left alone.
 */
public final class TenantPurge {
  private static final Logger LOG = LoggerFactory.getLogger(TenantPurge.class);

  private final Vertx vertx;
  private final LifecycleStore store;
  private final TenantStore tenants;
  private final TenantLifecycle lifecycle;
  private final long periodMs;
  private long timer = -1;
  private boolean running;

  public TenantPurge(Vertx vertx, LifecycleEndpoints endpoints, TenantStore tenants, TenantLifecycle lifecycle,
                     int graceSeconds) {
    this.vertx = vertx;
    this.store = endpoints.store();
    this.tenants = tenants;
    this.lifecycle = lifecycle;
    // a short grace (tests) is noticed soon after it ends; a long one is still checked every minute
    this.periodMs = Math.max(250L, Math.min(60_000L, graceSeconds * 250L));
  }

  public void start() {
    timer = vertx.setPeriodic(periodMs, id -> runOnce());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** One pass over the expired tenants; a pass still running when the timer fires again is not doubled. */
  public Future<Void> runOnce() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    return store.expired()
      .compose(this::purgeAll)
      .onFailure(e -> LOG.warn("tenant purge pass failed: {}", e.getMessage()))
      .eventually(() -> {
        running = false;
        return Future.succeededFuture();
      })
      .mapEmpty();
  }

  private Future<Void> purgeAll(List<UUID> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (UUID id : ids) {
      chain = chain.compose(v -> purge(id).otherwise(e -> {
        LOG.atWarn().addKeyValue("tenantId", id).log("tenant purge failed, retried on the next pass: " + e.getMessage());
        return null;
      }));
    }
    return chain;
  }

  private Future<Void> purge(UUID id) {
    String lock = "tenantry-tenant-purge:" + id;
    return store.pool().getConnection().compose(c -> store.tryLock(c, lock)
      .compose(locked -> locked ? underLock(c, id).eventually(() -> store.unlock(c, lock)) : Future.<Void>succeededFuture())
      .eventually(c::close));
  }

  private Future<Void> underLock(SqlConnection c, UUID id) {
    return store.stillExpired(c, id).compose(deletedAt -> deletedAt.isEmpty()
      ? Future.<Void>succeededFuture()
      : tenants.byId(id).compose(tenant -> tenant.isEmpty() ? Future.<Void>succeededFuture()
        : hardDelete(tenant.get(), deletedAt.get())));
  }

  private Future<Void> hardDelete(Tenant tenant, OffsetDateTime deletedAt) {
    String removed = switch (tenant.isolation()) {
      case SHARED -> "tenant row and its shared-tier rows, Redis keys";
      case SCHEMA -> "tenant row, schema " + tenant.schema() + ", Redis keys";
      case DATABASE -> "tenant row, database " + (tenant.database() == null ? "?" : tenant.database().database())
        + ", Redis keys";
    };
    return lifecycle.delete(tenant)
      .compose(v -> store.recordPurge(tenant.id(), tenant.slug(), tenant.isolation().sql(), deletedAt, removed))
      .onSuccess(v -> LOG.atInfo().addKeyValue("tenantId", tenant.id()).log("tenant purged: " + removed));
  }
}

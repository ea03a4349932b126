package io.tenantry.lifecycle;

import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.provisioning.TenantLifecycle;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Removes for good the tenants deleted longer than tenancy.delete-grace-seconds ago, with the hard delete of
 * {@link TenantLifecycle#delete} (row and shared-tier rows, schema or database, Redis keys), and records each purge in
 * platform.tenant_purges. Every node runs it; a PostgreSQL advisory lock per tenant (as provisioning takes) makes
 * one node at a time purge a tenant.
 */
public final class TenantPurge {
  private static final Logger LOG = LoggerFactory.getLogger(TenantPurge.class);
  /** Re-read under the lock: a tenant restored meanwhile, or purged by another node, is left alone. */
  private static final String STILL_EXPIRED = "SELECT deleted_at FROM platform.tenants WHERE id = ? AND status = 'deleted' "
    + "AND deleted_at <= now() - make_interval(secs => ?)";

  private final Vertx vertx;
  private final LifecycleStore store;
  private final TenantStore tenants;
  private final TenantLifecycle lifecycle;
  private final PgUrl platformDatabase;
  private final int graceSeconds;
  private final long periodMs;
  private long timer = -1;
  private boolean running;

  public TenantPurge(Vertx vertx, LifecycleEndpoints endpoints, TenantStore tenants, TenantLifecycle lifecycle,
                     PgUrl platformDatabase, int graceSeconds) {
    this.platformDatabase = platformDatabase;
    this.graceSeconds = graceSeconds;
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

  /**
   * The lock is a session lock on a JDBC connection of its own, held on a worker thread while the purge runs, so it
   * takes none of the event loops' pool connections (the purge itself needs them); it goes with its connection if
   * the node dies.
   */
  private Future<Void> purge(UUID id) {
    return vertx.executeBlocking(() -> {
      try (Connection lock = AdminJdbc.connect(platformDatabase)) {
        if (!AdminJdbc.tryAdvisoryLock(lock, "tenantry-tenant-purge:" + id)) {
          return null;
        }
        Optional<OffsetDateTime> deletedAt = stillExpired(lock, id);
        if (deletedAt.isPresent()) {
          tenants.byId(id).compose(tenant -> tenant.isEmpty() ? Future.<Void>succeededFuture()
            : hardDelete(tenant.get(), deletedAt.get())).toCompletionStage().toCompletableFuture().get();
        }
        return null;
      }
    }, false);
  }

  private Optional<OffsetDateTime> stillExpired(Connection c, UUID id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(STILL_EXPIRED)) {
      st.setObject(1, id);
      st.setDouble(2, graceSeconds);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, OffsetDateTime.class)) : Optional.empty();
      }
    }
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

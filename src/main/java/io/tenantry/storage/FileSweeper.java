package io.tenantry.storage;

import io.tenantry.data.TenantDb;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Removes what interrupted work left behind: every expired reservation's blob, unless committed metadata references
 * it (an upload that finished after all), then the row; and on the local disk, temporaries older than the pending
 * TTL (a node that died mid-upload), and on each S3 store, multipart uploads initiated longer ago than that TTL (the
 * same death, there: {@link StaleUploads}). Idempotent, so every node can run it; removing a blob twice is harmless. It
 * also counts the usage of tenants that have no row in platform.storage_usage yet ({@link Quotas#recount}).
 */
public final class FileSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(FileSweeper.class);
  private static final String EXPIRED = "SELECT id, tenant_id, blob FROM platform.storage_reservations"
    + " WHERE expires_at < now() ORDER BY expires_at LIMIT 200";
  private static final String FORGET = "DELETE FROM platform.storage_reservations WHERE id = $1";

  private final Vertx vertx;
  private final Pool platform;
  private final TenantStore tenants;
  private final TenantDb db;
  private final FileStore files;
  private final TenantStores blobs;
  private final LocalBlobStore local;
  private final List<S3BlobStore> s3Stores;
  private final long pendingTtlMs;
  private final Quotas quotas;
  private long timer = -1;
  private boolean running;

  FileSweeper(Vertx vertx, Pool platform, TenantStore tenants, TenantDb db, FileStore files, TenantStores blobs,
              LocalBlobStore local, List<S3BlobStore> s3Stores, long pendingTtlMs, Quotas quotas) {
    this.quotas = quotas;
    this.vertx = vertx;
    this.platform = platform;
    this.tenants = tenants;
    this.db = db;
    this.files = files;
    this.blobs = blobs;
    this.local = local;
    this.s3Stores = List.copyOf(s3Stores);
    this.pendingTtlMs = pendingTtlMs;
  }

  void start(long intervalMs) {
    timer = vertx.setPeriodic(intervalMs, id -> runOnce());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** One pass; the number of blobs it removed. */
  public Future<Integer> runOnce() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return platform.query(EXPIRED).execute()
      .compose(rows -> {
        List<Row> expired = new ArrayList<>();
        rows.forEach(expired::add);
        Future<Integer> chain = Future.succeededFuture(0);
        for (Row row : expired) {
          chain = chain.compose(n -> sweep(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("blob"))
            .map(removed -> n + (removed ? 1 : 0))
            .otherwise(e -> {
              LOG.atWarn().addKeyValue("tenantId", row.getUUID("tenant_id")).log("storage sweep of a blob failed: " + e.getMessage());
              return n;
            }));
        }
        return chain;
      })
      .compose(n -> local == null ? Future.succeededFuture(n) : local.removeStaleTemporaries(pendingTtlMs).map(t -> n + t))
      .compose(n -> abortStaleUploads().map(t -> n + t))
      .compose(n -> countUncounted().map(n))
      .onFailure(e -> LOG.warn("storage sweep failed: {}", e.getMessage()))
      .eventually(() -> {
        running = false;
        return Future.succeededFuture();
      });
  }

  /** One store after the other: each pass is a listing per store, and a store's failure is logged by it. */
  private Future<Integer> abortStaleUploads() {
    Instant cutoff = Instant.now().minusMillis(pendingTtlMs);
    Future<Integer> chain = Future.succeededFuture(0);
    for (S3BlobStore store : s3Stores) {
      chain = chain.compose(n -> store.abortUploadsInitiatedBefore(cutoff).map(t -> n + t));
    }
    return chain;
  }

  /**
   * Gives a usage row to tenants that have none yet (files from before the row existed, or from an import), so that
   * subtree quotas count them without waiting for their next upload or delete.
   */
  private Future<Void> countUncounted() {
    return quotas.uncounted().compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> tenants.byId(id)
          .compose(tenant -> tenant.isEmpty() ? Future.<Void>succeededFuture() : quotas.recount(tenant.get()))
          .otherwise(e -> {
            LOG.atWarn().addKeyValue("tenantId", id).log("storage usage not counted yet: " + e.getMessage());
            return null;
          }));
      }
      return chain;
    });
  }

  /** The row goes through {@link Quotas#release}: an upload that committed but never released is counted then. */
  private Future<Boolean> sweep(UUID reservation, UUID tenantId, String blob) {
    return tenants.byId(tenantId).compose(tenant -> tenant.isEmpty()
      ? platform.preparedQuery(FORGET).execute(Tuple.of(reservation)).map(false)
      : db.autocommit(tenant.get(), conn -> files.referenced(conn, tenant.get(), blob))
        .compose(referenced -> referenced ? Future.succeededFuture(false) : blobs.delete(tenantId, blob).map(true))
        .compose(removed -> quotas.release(tenant.get(), reservation).map(removed)));
  }
}

package io.tenantry.storage;

import io.tenantry.audit.AuditSealer;
import io.tenantry.config.Config;
import io.tenantry.data.TenantDb;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

import java.util.UUID;

/**
 * Per-tenant file storage (docs/storage.md), created once at boot: the blob store, the metadata, quotas, the
 * endpoints and the sweeper, with the storage's own worker executor for fsync and file moves.
 */
public final class Storage {
  /** Connections of the storage's own platform pool (reservations are short transactions). */
  public static final int POOL_SIZE = 2;
  private final WorkerExecutor worker;
  private final BlobStore blobs;
  private final FileEndpoints endpoints;
  private final FileSweeper sweeper;
  private final int sweepIntervalMs;
  private final Pool pool;

  private Storage(WorkerExecutor worker, BlobStore blobs, FileEndpoints endpoints, FileSweeper sweeper, int sweepIntervalMs,
                  Pool pool) {
    this.pool = pool;
    this.worker = worker;
    this.blobs = blobs;
    this.endpoints = endpoints;
    this.sweeper = sweeper;
    this.sweepIntervalMs = sweepIntervalMs;
  }

  /** @param platform a pool of the platform database of the storage's own ({@code PoolFactory.platformSide}) */
  public static Storage create(Vertx vertx, Config config, Pool platform, TenantDb db, TenantStore tenants,
                               AuditSealer sealer) {
    Config.StorageSettings settings = config.storage();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("tenantry-storage", settings.workerThreads());
    LocalBlobStore local = new LocalBlobStore(vertx, worker, config.dataDir());
    BlobStore blobs = local;
    FileStore files = new FileStore();
    Quotas quotas = new Quotas(platform, db, files, settings.chunkedReservationBytes(), settings.pendingTtlSeconds());
    FileSweeper sweeper = new FileSweeper(vertx, platform, tenants, db, files, blobs, local,
      settings.pendingTtlSeconds() * 1000L);
    return new Storage(worker, blobs, new FileEndpoints(db, files, quotas, blobs, sealer), sweeper, settings.sweepIntervalMs(),
      platform);
  }

  /** The blob store, for tenant bundles: an export reads a tenant's blobs, an import writes them. */
  public BlobStore blobs() {
    return blobs;
  }

  public FileEndpoints endpoints() {
    return endpoints;
  }

  public FileSweeper sweeper() {
    return sweeper;
  }

  /** Every file of a tenant being purged. */
  public Future<Void> removeTenant(UUID tenant) {
    return blobs.deleteTenant(tenant);
  }

  public void start() {
    sweeper.start(sweepIntervalMs);
  }

  public void stop() {
    sweeper.stop();
    worker.close();
    pool.close();
  }
}

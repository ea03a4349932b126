package io.tenantry.storage;

import io.tenantry.audit.AuditSealer;
import io.tenantry.config.Config;
import io.tenantry.data.TenantDb;
import io.tenantry.settings.EffectiveConfigCache;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Per-tenant file storage (docs/storage.md), created once at boot: the blob store, the metadata, quotas, the
 * endpoints and the sweeper, with the storage's own worker executor for fsync and file moves. The stores: "local"
 * always, "s3" when storage.s3 has an endpoint, and each of storage.stores.
 */
public final class Storage {
  /** Connections of the storage's own platform pool (reservations are short transactions). */
  public static final int POOL_SIZE = 2;
  private final WorkerExecutor worker;
  private final TenantStores blobs;
  private final List<S3BlobStore> s3Stores;
  private final FileEndpoints endpoints;
  private final FileSweeper sweeper;
  private final int sweepIntervalMs;
  private final Pool pool;
  private final StorageAdminEndpoints admin;

  private Storage(WorkerExecutor worker, TenantStores blobs, List<S3BlobStore> s3Stores, FileEndpoints endpoints,
                  FileSweeper sweeper, int sweepIntervalMs, Pool pool, StorageAdminEndpoints admin) {
    this.admin = admin;
    this.s3Stores = s3Stores;
    this.pool = pool;
    this.worker = worker;
    this.blobs = blobs;
    this.endpoints = endpoints;
    this.sweeper = sweeper;
    this.sweepIntervalMs = sweepIntervalMs;
  }

  /**
   * @param platform  a pool of the platform database of the storage's own ({@code PoolFactory.platformSide})
   * @param tenantSettings the tenants' effective settings (storage.store chooses a tenant's store)
   */
  public static Storage create(Vertx vertx, Config config, Pool platform, TenantDb db, TenantStore tenants,
                               AuditSealer sealer, EffectiveConfigCache tenantSettings) {
    Config.StorageSettings settings = config.storage();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("tenantry-storage", settings.workerThreads());
    LocalBlobStore local = new LocalBlobStore(vertx, worker, config.dataDir());
    List<TenantStores.Named> named = new ArrayList<>();
    List<S3BlobStore> s3Stores = new ArrayList<>();
    named.add(new TenantStores.Named("local", local, Set.of()));
    if (settings.s3().configured()) {
      S3BlobStore s3 = new S3BlobStore(vertx, settings.s3());
      s3Stores.add(s3);
      named.add(new TenantStores.Named("s3", s3, Set.of()));
    }
    for (Config.NamedStore store : settings.stores()) {
      S3BlobStore s3 = new S3BlobStore(vertx, store.s3());
      s3Stores.add(s3);
      named.add(new TenantStores.Named(store.name(), s3, Set.copyOf(store.tenants())));
    }
    TenantStores blobs = new TenantStores(named, settings.backend(), tenantSettings);
    FileStore files = new FileStore();
    Quotas quotas = new Quotas(platform, db, files, settings.chunkedReservationBytes(), settings.pendingTtlSeconds());
    FileSweeper sweeper = new FileSweeper(vertx, platform, tenants, db, files, blobs, local, s3Stores,
      settings.pendingTtlSeconds() * 1000L, quotas);
    return new Storage(worker, blobs, s3Stores, new FileEndpoints(db, files, quotas, blobs, sealer), sweeper,
      settings.sweepIntervalMs(), platform, new StorageAdminEndpoints(new io.tenantry.admin.Delegation(tenants), quotas));
  }

  /** The blob store, for tenant bundles: an export reads a tenant's blobs, an import writes them. */
  public BlobStore blobs() {
    return blobs.byTenantId();
  }

  public FileEndpoints endpoints() {
    return endpoints;
  }

  /** GET /admin/v1/tenants/{slug}/storage. */
  public StorageAdminEndpoints admin() {
    return admin;
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
    s3Stores.forEach(S3BlobStore::close);
    pool.close();
  }
}

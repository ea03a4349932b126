package io.tenantry.export;

import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Export jobs: a row per job in platform.export_jobs (state, progress, the bundle's size and SHA-256, its expiry),
 * the work on a worker pool of its own ({@code exports.threads}; JDBC COPY and file IO block), the bundle in
 * {@code <data-dir>/exports/<job id>.tar} of the node that ran it, removed when it expires. A job whose node stopped
 * is marked failed when that node starts again (an export is cheap to start over; it is not resumed).
 */
public final class Exports {
  private static final Logger LOG = LoggerFactory.getLogger(Exports.class);
  private static final long SWEEP_MS = 60_000;

  private final Vertx vertx;
  private final ExportJobStore store;
  private final TenantExporter exporter;
  private final WorkerExecutor workers;
  private final Path dir;
  private final String node;
  private final int ttlSeconds;
  private long sweeper = -1;

  public Exports(Vertx vertx, Pool pool, TenantExporter exporter, WorkerExecutor workers, Path dataDir, String node,
                 int ttlSeconds) {
    this.vertx = vertx;
    this.store = new ExportJobStore(pool);
    this.exporter = exporter;
    this.workers = workers;
    this.dir = dataDir.resolve("exports");
    this.node = node;
    this.ttlSeconds = ttlSeconds;
  }

  /** Marks this node's interrupted jobs failed and starts sweeping expired bundles. */
  public Future<Void> start() {
    sweeper = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    return store.orphaned(node).compose(v -> sweep())
      .onFailure(e -> LOG.warn("export jobs: marking this node's interrupted jobs failed did not run: {}", e.getMessage()));
  }

  public void stop() {
    vertx.cancelTimer(sweeper);
  }

  /** Starts exporting the tenant; answers the job as soon as it is recorded. */
  public Future<ExportJob> begin(Tenant tenant, boolean passwordHashes) {
    UUID id = UUID.randomUUID();
    return store.create(id, tenant.id(), passwordHashes, node).onSuccess(job -> run(job, tenant, passwordHashes));
  }

  public Future<ExportJob> job(Tenant tenant, UUID id) {
    return store.byId(id, tenant.id()).map(found -> found.orElseThrow(() -> Problem.notFound("no export " + id + " of this tenant")));
  }

  /** Where a finished job's bundle is, on this node. */
  Path bundle(UUID id) {
    return dir.resolve(id + ".tar");
  }

  private void run(ExportJob job, Tenant tenant, boolean passwordHashes) {
    Path bundle = bundle(job.id());
    workers.executeBlocking(() -> {
      Files.createDirectories(dir);
      Manifest manifest = exporter.export(tenant, passwordHashes, bundle,
        (parts, records) -> store.progress(job.id(), parts, records));
      return new Object[] {manifest, Files.size(bundle), Sha256.of(bundle)};
    }, false).compose(done -> {
      Manifest manifest = (Manifest) done[0];
      return store.done(job.id(), manifest.parts().size(), manifest.records(), (Long) done[1], (String) done[2], ttlSeconds);
    }).onFailure(e -> {
      LOG.atWarn().addKeyValue("tenantId", tenant.id()).setCause(e).log("export {} of {} failed", job.id(), tenant.slug());
      store.failed(job.id(), e.getMessage() == null ? e.toString() : e.getMessage());
      workers.executeBlocking(() -> Files.deleteIfExists(bundle), false);
    });
  }

  private Future<Void> sweep() {
    return store.expire(node)
      .onFailure(e -> LOG.warn("export jobs: expired bundles not swept this time: {}", e.getMessage())).compose(ids -> workers.executeBlocking(() -> {
      for (UUID id : ids) {
        try {
          Files.deleteIfExists(bundle(id));
        } catch (IOException e) {
          LOG.warn("could not remove expired export bundle {}: {}", id, e.getMessage());
        }
      }
      return null;
    }, false)).mapEmpty();
  }
}

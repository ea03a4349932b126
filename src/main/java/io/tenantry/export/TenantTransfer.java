package io.tenantry.export;

import io.tenantry.config.Config;
import io.tenantry.importing.ImportEndpoint;
import io.tenantry.importing.Imports;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

/**
 * Tenant export and import as the server wires them: their jobs, endpoints and the worker pool they share
 * ({@code exports.threads}), on which every blocking step (JDBC COPY, tar and file IO) runs.
 */
public record TenantTransfer(Exports exports, ExportEndpoints exportEndpoints, ImportEndpoint importEndpoint,
                             WorkerExecutor workers) {

  /**
   * @param blobs the file storage's blob store: files go into bundles and come back from them (null: bundles carry no
   *              files and a bundle with files is refused)
   * @param lifecycle removes an archived tenant an import replaces
   */
  public static TenantTransfer create(Vertx vertx, Config config, Pool pool, TenantStore tenants,
                                      TenantRegistry registry, TenantProvisioner provisioner,
                                      io.tenantry.storage.BlobStore blobs,
                                      io.tenantry.provisioning.TenantLifecycle lifecycle) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("tenantry-transfer", config.exports().threads(),
      6, java.util.concurrent.TimeUnit.HOURS);
    TierConnections connections = new TierConnections(config);
    BundleFiles files = blobs == null ? BundleFiles.NONE : new StoredFiles(vertx, blobs);
    Exports exports = new Exports(vertx, pool, new TenantExporter(connections, files), workers,
      config.dataDir(), node(config), config.exports().ttlSeconds());
    Imports imports = new Imports(tenants, registry, provisioner,
      Imports.importer(connections, provisioner, vertx, blobs, config.dataDir(),
        new io.tenantry.records.indexes.IndexCopies(config)), workers, vertx.fileSystem(),
      config.dataDir(), lifecycle, config.jsonMaxDepth());
    return new TenantTransfer(exports, new ExportEndpoints(tenants, exports), new ImportEndpoint(imports), workers);
  }

  public Future<Void> start() {
    return exports.start();
  }

  public Future<Void> stop() {
    exports.stop();
    return workers.close();
  }

  /** This node's name on the jobs it runs: its host and HTTP port (stable across its restarts). */
  private static String node(Config config) {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "localhost" : host) + ":" + config.httpPort();
  }
}

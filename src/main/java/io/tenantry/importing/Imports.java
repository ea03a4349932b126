package io.tenantry.importing;

import io.tenantry.export.Manifest;
import io.tenantry.http.Problem;
import io.tenantry.provisioning.TenantLifecycle;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An import: the uploaded bundle goes to a file, is verified whole (manifest, format version, every part's size and
 * SHA-256) before anything is written, the tenant's id and slug are checked free, then {@link TenantImporter} writes
 * it all or nothing. The tenant keeps the bundle's id (its audit chain hashes it); it gets a new slug when asked.
 */
public final class Imports {
  private final TenantStore tenants;
  private final TenantRegistry registry;
  private final TenantProvisioner provisioner;
  private final TenantImporter importer;
  private final WorkerExecutor workers;
  private final FileSystem fs;
  private final Path dir;
  private final TenantLifecycle lifecycle;
  private final int jsonMaxDepth;

  /** @param jsonMaxDepth how deep a document of an imported part may nest ({@code http.json-max-depth}) */
  public Imports(TenantStore tenants, TenantRegistry registry, TenantProvisioner provisioner, TenantImporter importer,
                 WorkerExecutor workers, FileSystem fs, Path dataDir, TenantLifecycle lifecycle, int jsonMaxDepth) {
    this.tenants = tenants;
    this.registry = registry;
    this.provisioner = provisioner;
    this.importer = importer;
    this.workers = workers;
    this.fs = fs;
    this.dir = dataDir.resolve("imports");
    this.lifecycle = lifecycle;
    this.jsonMaxDepth = jsonMaxDepth;
  }

  /** @param blobs the server's blob store (a bundle's files go there); null: bundles with files are refused */
  public static TenantImporter importer(io.tenantry.export.TierConnections connections, TenantProvisioner provisioner,
                                        io.vertx.core.Vertx vertx, io.tenantry.storage.BlobStore blobs, Path dataDir,
                                        io.tenantry.records.indexes.IndexCopies indexes) {
    return new TenantImporter(connections, provisioner, new BundleBlobs(vertx, blobs, dataDir.resolve("imports")), indexes);
  }

  /**
   * @param slug the tenant's slug here; null keeps the bundle's
   * @param isolation its tier here; null keeps the bundle's
   * @param server the database tier's server and database (any part null: the platform's server, the default name)
   */
  public Future<Tenant> importBundle(Buffer upload, String slug, Isolation isolation, DbTarget server,
                                     boolean replaceArchived) {
    return workers.executeBlocking(() -> {
      Files.createDirectories(dir);
      Path file = Files.createTempFile(dir, "import-", ".tar");
      return file;
    }, false).compose(file -> fs.writeFile(file.toString(), upload)
      .compose(v -> importFile(file, slug, isolation, server, replaceArchived))
      .eventually(() -> workers.executeBlocking(() -> Files.deleteIfExists(file), false)));
  }

  private Future<Tenant> importFile(Path file, String slug, Isolation isolation, DbTarget server, boolean replace) {
    return workers.executeBlocking(() -> BundleVerifier.verify(file, jsonMaxDepth), false)
      .compose(manifest -> {
        ImportTarget target = target(manifest, slug, isolation, server);
        return free(manifest, target, replace)
          .compose(archived -> archived == null ? Future.<Void>succeededFuture() : replaced(archived))
          .compose(v -> workers.executeBlocking(() -> {
            importer.write(file, manifest, target);
            return manifest;
          }, false))
          .onSuccess(v -> buildIndexes(manifest, target))
          .compose(v -> tenants.byId(manifest.tenantId()))
          .map(found -> found.orElseThrow(() -> new IllegalStateException("the imported tenant is not there")));
      })
      .onSuccess(registry::changed);
  }

  /**
   * The bundle's declared indexes, built after the answer (a build takes as long as the tenant is large); the
   * declarations show "building" until then, and a node stopped meanwhile resumes them at its start.
   */
  private void buildIndexes(Manifest manifest, ImportTarget target) {
    workers.executeBlocking(() -> {
      importer.buildIndexes(manifest.tenantId(), target);
      return null;
    }, false).onFailure(e -> org.slf4j.LoggerFactory.getLogger(Imports.class).warn(
      "the declared indexes of imported tenant {} were not built: {}", manifest.tenantId(), e.getMessage()));
  }

  private ImportTarget target(Manifest manifest, String slug, Isolation isolation, DbTarget server) {
    String finalSlug = slug != null ? slug : manifest.tenant().getString("slug");
    if (!Tenant.SLUG.matcher(finalSlug).matches()) {
      throw Problem.badRequest("slug \"" + finalSlug + "\" is not 3-63 of a-z, 0-9 and -");
    }
    Isolation tier = isolation != null ? isolation : Isolation.parse(manifest.tenant().getString("isolation"));
    if (tier == null) {
      throw BundleRefused.because("the manifest's tenant names no isolation tier this server knows; give one (isolation)");
    }
    if (server != null && tier != Isolation.DATABASE) {
      throw Problem.badRequest("database_host, database_port and database_name are for the database tier only");
    }
    DbTarget database = tier != Isolation.DATABASE ? null : ImportServer.complete(server,
      provisioner.defaultDatabase(manifest.tenantId()));
    return new ImportTarget(finalSlug, tier, database);
  }

  /**
   * Refuses a bundle whose tenant id or the slug it would take already exists here (409), unless {@code replace} and
   * both name one archived tenant: that tenant is returned, to be removed before the import (null: nothing to remove).
   */
  private Future<Tenant> free(Manifest manifest, ImportTarget target, boolean replace) {
    return tenants.byId(manifest.tenantId()).compose(byId -> tenants.bySlug(target.slug()).compose(bySlug -> {
      if (byId.isEmpty() && bySlug.isEmpty()) {
        return Future.succeededFuture();
      }
      if (!replace) {
        return Future.failedFuture(byId.isPresent()
          ? Problem.conflict("tenant " + manifest.tenantId() + " (slug '" + byId.get().slug() + "') already exists here; "
            + "archive it and import with replace_archived=true, or delete and purge it first (ids are kept on import: "
            + "its audit chain hashes them)")
          : Problem.conflict("slug '" + target.slug() + "' is taken here; import with another slug (as), or archive that "
            + "tenant and import with replace_archived=true"));
      }
      if (byId.isPresent() && bySlug.isPresent() && !byId.get().id().equals(bySlug.get().id())) {
        return Future.failedFuture(Problem.conflict("the bundle's tenant id belongs to tenant '" + byId.get().slug()
          + "' and slug '" + target.slug() + "' to another tenant; replace_archived replaces one tenant only"));
      }
      Tenant existing = byId.orElseGet(bySlug::get);
      if (existing.status() != Tenant.Status.ARCHIVED) {
        return Future.failedFuture(Problem.conflict("tenant '" + existing.slug() + "' is "
          + existing.status().name().toLowerCase(java.util.Locale.ROOT) + "; replace_archived replaces an archived "
          + "tenant only (archive it first)"));
      }
      return Future.succeededFuture(existing);
    }));
  }

  /**
   * Removes the archived tenant as a purge does (its row, data, home, Redis keys and files) — after the bundle has
   * been verified whole, before it is written: the tenant's id may be the bundle's, and its schema's name with it.
   */
  private Future<Void> replaced(Tenant archived) {
    return lifecycle.delete(archived).recover(e -> Future.failedFuture(Problem.conflict("archived tenant '"
      + archived.slug() + "' could not be removed (" + e.getMessage() + "); nothing was imported")));
  }
}

package io.tenantry.export;

import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.JsonObject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.postgresql.PGConnection;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes one tenant's bundle (docs/export-format.md). Blocking, on the export workers. Each tier is read in one
 * read-only REPEATABLE READ snapshot (the platform database's also covers the shared and schema tiers' data), each
 * part streamed by {@code COPY ... TO STDOUT} into a spool file on disk, then the tar is assembled, manifest first:
 * the heap holds buffers, never the data.
 */
public final class TenantExporter {
  /** Told after each part; may be called from the worker thread. */
  public interface Progress {
    void partDone(int parts, long records);
  }

  private final TierConnections connections;
  private final BundleFiles files;

  public TenantExporter(TierConnections connections, BundleFiles files) {
    this.connections = connections;
    this.files = files;
  }

  public Manifest export(Tenant tenant, boolean passwordHashes, Path bundle, Progress progress)
    throws IOException, SQLException {
    Path spool = Files.createTempDirectory(bundle.getParent(), "spool-");
    try {
      Spooler spooler = new Spooler(spool, progress);
      UUID id = tenant.id();
      UUID installation;
      try (Connection platform = connections.platform(id)) {
        TierConnections.snapshot(platform);
        installation = installation(platform);
        spooler.copy(platform, BundleFormat.TENANT, ExportQueries.tenant(id));
        // the order of BundleFormat.PLATFORM_PARTS: users before the parts that name them
        spooler.copy(platform, BundleFormat.USERS, ExportQueries.users(id, passwordHashes));
        spooler.copy(platform, BundleFormat.MEMBERSHIPS, ExportQueries.memberships(id));
        spooler.copy(platform, BundleFormat.API_KEYS, ExportQueries.apiKeys(id));
        spooler.copy(platform, BundleFormat.TENANT_SETTINGS, ExportQueries.tenantSettings(id));
        spooler.copy(platform, BundleFormat.USER_SETTINGS, ExportQueries.userSettings(id));
        spooler.copy(platform, BundleFormat.SCHEMAS, ExportQueries.schemas(id));
        spooler.copy(platform, BundleFormat.INDEXES, ExportQueries.indexes(id));
        if (tenant.isolation() != Isolation.DATABASE) {
          tierParts(spooler, platform, tenant, files.included());
        }
        platform.commit();
      }
      if (tenant.isolation() == Isolation.DATABASE) {
        try (Connection own = connections.tenantDatabase(tenant.database(), id)) {
          TierConnections.snapshot(own);
          tierParts(spooler, own, tenant, files.included());
          own.commit();
        }
      }
      JsonObject filesSummary = new JsonObject().put("included", files.included()).put("count", 0L).put("bytes", 0L);
      Manifest.Part index = spooler.parts.isEmpty() ? null : spooler.parts.get(spooler.parts.size() - 1);
      if (index != null && index.name().equals(BundleFormat.FILES_INDEX)) {
        long bytes = files.export(id, spooler.files.get(spooler.files.size() - 1), spool, spooler::adopt);
        filesSummary.put("count", index.count()).put("bytes", bytes);
      }
      JsonObject described = new JsonObject().put("id", id.toString()).put("slug", tenant.slug())
        .put("name", tenant.name()).put("isolation", tenant.isolation().sql());
      Manifest manifest = new Manifest(BundleFormat.VERSION, installation, Instant.now().toString(), described,
        passwordHashes, List.copyOf(spooler.parts), filesSummary);
      writeTar(manifest, spooler.files, bundle);
      return manifest;
    } finally {
      deleteTree(spool);
    }
  }

  /** Records, audit and (when files are included and the tenant has any) the file index, from one snapshot. */
  private static void tierParts(Spooler spooler, Connection c, Tenant tenant, boolean withFiles)
    throws SQLException, IOException {
    String schema = tenant.schema();
    UUID id = tenant.id();
    for (String collection : collections(c, schema, id)) {
      spooler.copy(c, BundleFormat.records(collection), ExportQueries.records(schema, id, collection));
    }
    spooler.copy(c, BundleFormat.AUDIT_LOG, ExportQueries.auditLog(schema, id));
    spooler.copy(c, BundleFormat.AUDIT_SEALS, ExportQueries.auditSeals(schema, id));
    spooler.copy(c, BundleFormat.AUDIT_ANCHORS, ExportQueries.auditAnchors(schema, id));
    if (withFiles) {
      spooler.copy(c, BundleFormat.FILES_INDEX, ExportQueries.files(schema, id));
      spooler.dropIfEmpty(BundleFormat.FILES_INDEX); // a tenant without files: no files parts (as in version 1)
    }
  }

  private static List<String> collections(Connection c, String schema, UUID id) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(ExportQueries.collections(schema, id))) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static UUID installation(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM platform.installation")) {
      if (!rs.next()) {
        throw new SQLException("platform.installation has no row");
      }
      return (UUID) rs.getObject(1);
    }
  }

  /** The tar: manifest.json first (a reader checks it before anything else), then the parts in manifest order. */
  private static void writeTar(Manifest manifest, List<Path> partFiles, Path bundle) throws IOException {
    Path partial = bundle.resolveSibling(bundle.getFileName() + ".partial");
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      byte[] json = manifest.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry head = new TarArchiveEntry(BundleFormat.MANIFEST);
      head.setSize(json.length);
      tar.putArchiveEntry(head);
      tar.write(json);
      tar.closeArchiveEntry();
      for (int i = 0; i < partFiles.size(); i++) {
        Manifest.Part part = manifest.parts().get(i);
        TarArchiveEntry entry = new TarArchiveEntry(part.name());
        entry.setSize(part.bytes());
        tar.putArchiveEntry(entry);
        Files.copy(partFiles.get(i), tar);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    Files.move(partial, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The parts spooled so far, in bundle order. */
  private static final class Spooler {
    final Path dir;
    final Progress progress;
    final List<Manifest.Part> parts = new ArrayList<>();
    final List<Path> files = new ArrayList<>();
    long records;

    Spooler(Path dir, Progress progress) {
      this.dir = dir;
      this.progress = progress;
    }

    void copy(Connection c, String name, String select) throws SQLException, IOException {
      long rows;
      SpooledPart part = new SpooledPart(name, dir);
      try (part) {
        rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(ExportQueries.copyOut(select), part.stream());
      }
      if (BundleFormat.collectionOf(name) != null) {
        records += rows;
      }
      adopt(name, part.file, part.describe(rows));
    }

    void dropIfEmpty(String name) throws IOException {
      int last = parts.size() - 1;
      if (last >= 0 && parts.get(last).name().equals(name) && parts.get(last).count() == 0) {
        parts.remove(last);
        Files.deleteIfExists(files.remove(last));
      }
    }

    void adopt(String name, Path file, Manifest.Part part) {
      parts.add(part);
      files.add(file);
      progress.partDone(parts.size(), records);
    }
  }
}

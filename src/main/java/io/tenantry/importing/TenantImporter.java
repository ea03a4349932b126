package io.tenantry.importing;

import io.tenantry.export.BundleFormat;
import io.tenantry.export.Manifest;
import io.tenantry.export.TierConnections;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.records.indexes.IndexCopies;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.TenantNames;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Writes a verified bundle as a new tenant, all or nothing. The tenant's home (schema or database) is made first,
 * while no tenant row names it; a database tier's data goes in one transaction on its database; everything else
 * (the tenant row itself, its users, settings, schemas, keys, and the shared or schema tier's data) in one
 * transaction on the platform database, committed last. Until that commit no tenant exists; if anything fails
 * both transactions roll back and the home is removed. Blocking: import workers only. Lines stream from the tar
 * into a staging table by COPY, then one INSERT ... SELECT per part: the heap holds buffers, not the data.
 */
final class TenantImporter {
  private static final Logger LOG = LoggerFactory.getLogger(TenantImporter.class);

  private final TierConnections connections;
  private final TenantProvisioner provisioner;
  private final BundleBlobs blobs;
  private final IndexCopies indexes;

  TenantImporter(TierConnections connections, TenantProvisioner provisioner, BundleBlobs blobs, IndexCopies indexes) {
    this.connections = connections;
    this.provisioner = provisioner;
    this.blobs = blobs;
    this.indexes = indexes;
  }

  /**
   * After the import's commit: builds the declared indexes the bundle carried (CONCURRENTLY: the tenant serves
   * already) and records each one's status. The home was provisioned at the latest tenant migration.
   */
  void buildIndexes(UUID id, ImportTarget target) throws SQLException {
    indexes.build(new IndexCopies.Home(id, target.isolation(), target.database(),
      io.tenantry.provisioning.TenantMigrations.latest()), true);
  }

  void write(Path bundle, Manifest manifest, ImportTarget target) {
    UUID id = manifest.tenantId();
    boolean homeMade = false;
    java.util.List<String> written = new java.util.ArrayList<>();
    try {
      int schemaVersion = provisioner.provision(id, target.isolation(), target.database());
      homeMade = true;
      try (Connection platform = connections.platform(id);
           Connection own = target.isolation() == Isolation.DATABASE ? connections.tenantDatabase(target.database(), id) : null) {
        platform.setAutoCommit(false);
        execute(platform, ImportSql.CREATE_LINES);
        execute(platform, ImportSql.CREATE_USER_MAP);
        Connection tier = own == null ? platform : own;
        if (own != null) {
          own.setAutoCommit(false);
          execute(own, ImportSql.CREATE_LINES);
          execute(own, ImportSql.CREATE_USER_MAP);
        }
        load(bundle, id, target, schemaVersion, platform, tier, written);
        execute(platform, ImportSql.schemasCounter(id));
        if (own != null) {
          own.commit();
        }
        platform.commit();
      }
    } catch (SQLException | IOException | RuntimeException e) {
      blobs.remove(id, written);
      if (homeMade && target.isolation() != Isolation.SHARED) {
        remove(id, target);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("import of tenant " + id + " failed, nothing kept: " + e.getMessage(), e);
    }
  }

  /** Every part in bundle order (checked by the verifier: the tenant and its users come before what names them). */
  private void load(Path bundle, UUID id, ImportTarget target, int schemaVersion, Connection platform,
                    Connection tier, java.util.List<String> written) throws IOException, SQLException {
    String schema = switch (target.isolation()) {
      case SHARED -> "shared";
      case SCHEMA -> TenantNames.schema(id);
      case DATABASE -> TenantNames.DATABASE_TIER_SCHEMA;
    };
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(bundle), 1 << 16))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String name = entry.getName();
        if (name.equals(BundleFormat.MANIFEST)) {
          continue;
        }
        if (name.equals(BundleFormat.TENANT)) {
          stage(platform, tar);
          tenantRow(platform, id, target, schemaVersion);
          continue;
        }
        if (name.equals(BundleFormat.INDEXES)) {
          BundleIndexes.load(platform, id, new Unclosable(tar));
          continue;
        }
        String blob = BundleFormat.blobOf(name);
        if (blob != null) { // verified against the index and its checksum already
          blobs.write(id, blob, tar, entry.getSize());
          written.add(blob);
          continue;
        }
        String collection = BundleFormat.collectionOf(name);
        Connection on = collection != null || BundleFormat.AUDIT_PARTS.contains(name)
          || name.equals(BundleFormat.FILES_INDEX) ? tier : platform;
        stage(on, tar);
        switch (name) {
          case BundleFormat.USERS -> {
            execute(platform, ImportSql.USERS);
            execute(platform, ImportSql.MAP_USERS);
            if (tier != platform) {
              copyUserMap(platform, tier);
            }
          }
          case BundleFormat.FILES_INDEX -> execute(tier, ImportSql.files(schema, id));
          case BundleFormat.MEMBERSHIPS -> execute(platform, ImportSql.memberships(id));
          case BundleFormat.API_KEYS -> execute(platform, ImportSql.apiKeys(id));
          case BundleFormat.TENANT_SETTINGS -> execute(platform, ImportSql.tenantSettings(id));
          case BundleFormat.USER_SETTINGS -> execute(platform, ImportSql.userSettings(id));
          case BundleFormat.SCHEMAS -> execute(platform, ImportSql.schemas(id));
          case BundleFormat.AUDIT_LOG -> execute(tier, ImportSql.auditLog(schema, id));
          case BundleFormat.AUDIT_SEALS -> execute(tier, ImportSql.auditSeals(schema, id));
          case BundleFormat.AUDIT_ANCHORS -> execute(tier, ImportSql.auditAnchors(schema, id));
          default -> {
            if (collection == null) {
              throw new IllegalStateException("no importer for part " + name);
            }
            execute(tier, ImportSql.records(schema, id, collection));
          }
        }
      }
    }
  }

  /** The matched users, also on a database tier's connection (file metadata names its uploader by them). */
  private static void copyUserMap(Connection platform, Connection tier) throws SQLException {
    try (Statement st = platform.createStatement();
         java.sql.ResultSet rs = st.executeQuery("SELECT bundle_id, user_id FROM " + ImportSql.USER_MAP);
         PreparedStatement insert = tier.prepareStatement("INSERT INTO " + ImportSql.USER_MAP + " (bundle_id, user_id) "
           + "VALUES (?, ?)")) {
      while (rs.next()) {
        insert.setObject(1, rs.getObject(1));
        insert.setObject(2, rs.getObject(2));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void stage(Connection c, InputStream entry) throws SQLException, IOException {
    execute(c, ImportSql.CLEAR);
    c.unwrap(PGConnection.class).getCopyAPI().copyIn(ImportSql.COPY_IN, new Unclosable(entry));
  }

  private static void tenantRow(Connection c, UUID id, ImportTarget target, int schemaVersion) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ImportSql.tenant(id))) {
      ps.setString(1, target.slug());
      ps.setString(2, target.isolation().sql());
      ps.setString(3, target.database() == null ? null : target.database().host());
      ps.setObject(4, target.database() == null ? null : target.database().port(), java.sql.Types.INTEGER);
      ps.setString(5, target.database() == null ? null : target.database().database());
      ps.setInt(6, schemaVersion);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("tenant.json does not describe tenant " + id);
      }
    }
  }

  private void remove(UUID id, ImportTarget target) {
    try {
      provisioner.deprovision(id, target.isolation(), target.database());
    } catch (RuntimeException e) {
      LOG.warn("could not remove the {} home of the failed import of tenant {}: {}", target.isolation().sql(), id, e.getMessage());
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** COPY closes what it read; the tar stream must stay open for the next entry. */
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
    }
  }
}

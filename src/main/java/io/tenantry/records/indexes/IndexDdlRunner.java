package io.tenantry.records.indexes;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.tenant.DbTarget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Runs a declaration's index DDL on one records table: CONCURRENTLY statements (outside a transaction, as they must
 * be) over an admin JDBC connection in the table's database, as its owner, under the declaration's advisory lock
 * on that table and then the table's own (waited for); an invalid index of one of its names (an interrupted build)
 * is dropped first. Blocking: index builders' and moves' workers only.
 */
final class IndexDdlRunner {
  private static final long TABLE_LOCK_POLL_MS = 200;

  /** Another node holds the index's lock: it builds (or drops) it and stores the outcome. */
  static final class Busy extends SQLException {
    Busy() {
      super("another node is working on this index");
    }
  }

  private final Config config;

  IndexDdlRunner(Config config) {
    this.config = config;
  }

  /**
   * The lock names the schema too: a move builds a declaration's indexes on the tenant's new records table while
   * its old table, in the same database (shared and schema tiers), may still be building them under the same name.
   */
  void run(PgUrl database, String schema, String indexName, List<String> statements) throws SQLException {
    try (Connection c = AdminJdbc.connect(database)) {
      if (!AdminJdbc.tryAdvisoryLock(c, "tenantry.index:" + schema + "." + indexName)) {
        throw new Busy();
      }
      lockTable(c, schema);
      AdminJdbc.execute(c, "SET ROLE " + quoteIdent(config.ownerRole()));
      for (String name : IndexDdl.indexNames(indexName)) {
        dropIfInvalid(c, schema, name);
      }
      for (String statement : statements) {
        AdminJdbc.execute(c, statement);
      }
    }
  }

  /** The database holding a records table: the platform's, or a database-tier tenant's own (null: the platform's). */
  PgUrl database(DbTarget target) {
    PgUrl admin = config.dbAdminUrl();
    if (target == null) {
      return admin.withDatabase(config.dbName());
    }
    return new PgUrl(target.host(), target.port(), admin.database(), admin.user(), admin.password())
      .withDatabase(target.database());
  }

  /**
   * One build or drop at a time per records table: two CREATE INDEX CONCURRENTLY on one table (or one and another's
   * ANALYZE) deadlock, each waiting for the other's transaction in its wait-for-old-snapshots phase. The lock is
   * polled, not waited for: a statement waiting on an advisory lock is itself a transaction the holder's CREATE INDEX
   * CONCURRENTLY would wait for — a deadlock again.
   */
  private static void lockTable(Connection c, String schema) throws SQLException {
    while (!AdminJdbc.tryAdvisoryLock(c, "tenantry.index-table:" + schema)) {
      try {
        Thread.sleep(TABLE_LOCK_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted waiting for another index build on " + schema + ".records", e);
      }
    }
  }

  private static void dropIfInvalid(Connection c, String schema, String name) throws SQLException {
    try (PreparedStatement invalid = c.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
      + "JOIN pg_namespace n ON n.oid = x.relnamespace WHERE n.nspname = ? AND x.relname = ? AND NOT i.indisvalid")) {
      invalid.setString(1, schema);
      invalid.setString(2, name);
      try (ResultSet rs = invalid.executeQuery()) {
        if (rs.next()) {
          AdminJdbc.execute(c, IndexDdl.drop(schema, name));
        }
      }
    }
  }
}

package io.tenantry.relocation;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Copies one tenant's rows of a {@link TenantTable} from its current home to its new one, over two JDBC
 * connections (blocking: move workers only), each carrying the tenant's context (row-level security stays forced).
 * {@link #bulk} streams every row by COPY; {@link #sync} then makes the copy equal to the source by key: rows
 * missing or different are copied again, rows gone from the source are deleted (a record's delete leaves no row;
 * the key difference finds it). {@link #checksum} is the count and an MD5 over every key and row fingerprint.
 */
final class TableCopier {
  private static final int BATCH = 2000;

  private final UUID tenantId;
  private final String fromSchema;
  private final String toSchema;

  TableCopier(UUID tenantId, String fromSchema, String toSchema) {
    this.tenantId = tenantId;
    this.fromSchema = fromSchema;
    this.toSchema = toSchema;
  }

  /** Empties the target of the tenant's rows (a failed earlier attempt's), then COPYs them all; one transaction. */
  long bulk(Connection from, Connection to, TenantTable table) throws SQLException {
    to.setAutoCommit(false);
    from.setAutoCommit(false);
    try {
      execute(to, "DELETE FROM " + qualified(toSchema, table) + " WHERE tenant_id = '" + tenantId + "'");
      CopyOut out = from.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT " + table.columns() + " FROM "
        + qualified(fromSchema, table) + " WHERE tenant_id = '" + tenantId + "') TO STDOUT (FORMAT binary)");
      CopyIn in = to.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + qualified(toSchema, table) + " ("
        + table.columns() + ") FROM STDIN (FORMAT binary)");
      try {
        for (byte[] chunk; (chunk = out.readFromCopy()) != null; ) {
          in.writeToCopy(chunk, 0, chunk.length);
        }
        long rows = in.endCopy();
        to.commit();
        return rows;
      } finally {
        if (in.isActive()) {
          in.cancelCopy();
        }
        if (out.isActive()) {
          out.cancelCopy();
        }
      }
    } catch (SQLException | RuntimeException e) {
      to.rollback();
      throw e;
    } finally {
      from.rollback();
    }
  }

  /** Makes the target's rows equal the source's; returns how many rows it copied or deleted. One target transaction. */
  long sync(Connection from, Connection to, TenantTable table) throws SQLException {
    List<String> stale = new ArrayList<>();
    from.setAutoCommit(false);
    to.setAutoCommit(false);
    try (KeyCursor source = new KeyCursor(from, fromSchema, table); KeyCursor target = new KeyCursor(to, toSchema, table)) {
      boolean s = source.next();
      boolean t = target.next();
      while (s || t) {
        int order = !s ? 1 : !t ? -1 : source.key.compareTo(target.key);
        if (order == 0) {
          if (!source.print.equals(target.print)) {
            stale.add(source.key);
          }
          s = source.next();
          t = target.next();
        } else if (order < 0) {
          stale.add(source.key);
          s = source.next();
        } else {
          stale.add(target.key);
          t = target.next();
        }
      }
    }
    try {
      for (int i = 0; i < stale.size(); i += BATCH) {
        replace(from, to, table, stale.subList(i, Math.min(stale.size(), i + BATCH)));
      }
      to.commit();
      return stale.size();
    } catch (SQLException | RuntimeException e) {
      to.rollback();
      throw e;
    } finally {
      from.rollback();
    }
  }

  /** Deletes the keys from the target and inserts the source's rows of those keys (those still there). */
  private void replace(Connection from, Connection to, TenantTable table, List<String> keys) throws SQLException {
    String rows;
    try (PreparedStatement ps = from.prepareStatement("SELECT COALESCE(json_agg(x), '[]')::text FROM (SELECT "
      + table.columns() + " FROM " + qualified(fromSchema, table) + " WHERE tenant_id = '" + tenantId + "' AND "
      + table.key() + " = ANY (?)) x")) {
      ps.setArray(1, textArray(from, keys));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        rows = rs.getString(1);
      }
    }
    try (PreparedStatement ps = to.prepareStatement("DELETE FROM " + qualified(toSchema, table) + " WHERE tenant_id = '"
      + tenantId + "' AND " + table.key() + " = ANY (?)")) {
      ps.setArray(1, textArray(to, keys));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = to.prepareStatement("INSERT INTO " + qualified(toSchema, table) + " (" + table.columns()
      + ") SELECT " + table.columns() + " FROM json_populate_recordset(NULL::" + qualified(toSchema, table) + ", ?::json)")) {
      ps.setString(1, rows);
      ps.executeUpdate();
    }
  }

  /** The tenant's row count and an MD5 over its keys and row fingerprints in key order. */
  String checksum(Connection c, boolean source, TenantTable table) throws SQLException {
    String schema = source ? fromSchema : toSchema;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) || '/' || md5(COALESCE("
      + "string_agg(k || '=' || p, ',' ORDER BY k COLLATE \"C\"), '')) FROM (SELECT " + table.key() + " AS k, "
      + table.fingerprint() + " AS p FROM " + qualified(schema, table) + " WHERE tenant_id = '" + tenantId + "') x")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Array textArray(Connection c, List<String> keys) throws SQLException {
    return c.createArrayOf("text", keys.toArray());
  }

  private static String qualified(String schema, TenantTable table) {
    return quoteIdent(schema) + "." + quoteIdent(table.name());
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Keys and fingerprints in key order, fetched in batches (a cursor: the heap holds one batch). */
  private final class KeyCursor implements AutoCloseable {
    private final Statement statement;
    private final ResultSet rows;
    String key;
    String print;

    KeyCursor(Connection c, String schema, TenantTable table) throws SQLException {
      statement = c.createStatement();
      statement.setFetchSize(10_000);
      rows = statement.executeQuery("SELECT " + table.key() + " AS k, " + table.fingerprint() + " FROM "
        + qualified(schema, table) + " WHERE tenant_id = '" + tenantId + "' ORDER BY (" + table.key() + ") COLLATE \"C\"");
    }

    boolean next() throws SQLException {
      if (!rows.next()) {
        return false;
      }
      key = rows.getString(1);
      print = rows.getString(2);
      return true;
    }

    @Override
    public void close() throws SQLException {
      rows.close();
      statement.close();
    }
  }
}

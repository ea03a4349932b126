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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Copies one tenant's rows of a {@link TenantTable} from its current home to its new one, over two JDBC
 * connections (blocking: move workers only), each carrying the tenant's context (row-level security stays forced).
 * {@link #bulk} streams every row by COPY; {@link #sync} then makes the copy equal to the source by key: rows
 * missing or different are copied again, rows gone from the source are deleted (a record's delete leaves no row;
 * the key difference finds it). {@link #checksum} is the count and an order-free sum of every row's hash.
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

  /**
   * Makes the target's rows equal the source's; returns how many rows it copied or deleted. One target transaction;
   * the source's transaction is the caller's (a REPEATABLE READ one makes several tables' syncs and their checksums
   * read one snapshot).
   */
  long sync(Connection from, Connection to, TenantTable table) throws SQLException {
    return sync(from, to, table, false);
  }

  /**
   * Copies the source's rows whose keys the target lacks, and nothing else: audit entries that reached the old copy
   * late (best-effort entries queued before the switch) join the new home's log.
   */
  long append(Connection from, Connection to, TenantTable table) throws SQLException {
    try {
      return sync(from, to, table, true);
    } finally {
      from.rollback();
    }
  }

  private long sync(Connection from, Connection to, TenantTable table, boolean appendOnly) throws SQLException {
    from.setAutoCommit(false);
    to.setAutoCommit(false);
    // The target's keys in a map, the source's streamed past it: no sort on either server.
    Map<String, String> target = new HashMap<>();
    try (KeyCursor rows = new KeyCursor(to, toSchema, table)) {
      while (rows.next()) {
        target.put(rows.key, rows.print);
      }
    }
    List<String> stale = new ArrayList<>();
    try (KeyCursor source = new KeyCursor(from, fromSchema, table)) {
      while (source.next()) {
        String there = target.remove(source.key);
        if (there == null || (!appendOnly && !there.equals(source.print))) {
          stale.add(source.key);
        }
      }
    }
    if (!appendOnly) {
      stale.addAll(target.keySet()); // gone from the source: deleted
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
    }
  }

  /** Deletes the keys from the target and inserts the source's rows of those keys (those still there). */
  private void replace(Connection from, Connection to, TenantTable table, List<String> keys) throws SQLException {
    String rows;
    try (PreparedStatement ps = from.prepareStatement("SELECT COALESCE(json_agg(x), '[]')::text FROM (SELECT "
      + table.columns() + " FROM " + qualified(fromSchema, table) + " WHERE tenant_id = '" + tenantId + "' AND "
      + table.match() + ") x")) {
      ps.setArray(1, textArray(from, keys));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        rows = rs.getString(1);
      }
    }
    try (PreparedStatement ps = to.prepareStatement("DELETE FROM " + qualified(toSchema, table) + " WHERE tenant_id = '"
      + tenantId + "' AND " + table.match())) {
      ps.setArray(1, textArray(to, keys));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = to.prepareStatement("INSERT INTO " + qualified(toSchema, table) + " (" + table.columns()
      + ") SELECT " + table.columns() + " FROM json_populate_recordset(NULL::" + qualified(toSchema, table) + ", ?::json)")) {
      ps.setString(1, rows);
      ps.executeUpdate();
    }
  }

  /**
   * Copies again the rows a delta names ({@link ChangeDelta}): a key present in the source is replaced by the source's
   * row, one gone from it is deleted; a pruned chain prefix is removed first. One target transaction; the source's is
   * the caller's. Costs what the delta holds: every row is found by key.
   */
  long apply(Connection from, Connection to, ChangeDelta.Keys delta) throws SQLException {
    from.setAutoCommit(false);
    to.setAutoCommit(false);
    try {
      if (delta.prunedTo() > 0) {
        String log = qualified(toSchema, TenantTable.AUDIT_LOG);
        String seal = qualified(toSchema, TenantTable.AUDIT_SEAL);
        execute(to, "DELETE FROM " + log + " a USING " + seal + " s WHERE a.tenant_id = '" + tenantId + "' AND s.tenant_id "
          + "= a.tenant_id AND s.entry_id = a.id AND s.position <= " + delta.prunedTo());
        execute(to, "DELETE FROM " + seal + " WHERE tenant_id = '" + tenantId + "' AND position <= " + delta.prunedTo());
      }
      long rows = 0;
      for (Map.Entry<TenantTable, java.util.Set<String>> e : delta.byTable().entrySet()) {
        List<String> keys = new ArrayList<>(e.getValue());
        for (int i = 0; i < keys.size(); i += BATCH) {
          replace(from, to, e.getKey(), keys.subList(i, Math.min(keys.size(), i + BATCH)));
        }
        rows += keys.size();
      }
      to.commit();
      return rows;
    } catch (SQLException | RuntimeException e) {
      to.rollback();
      throw e;
    }
  }

  /**
   * {@link #checksum} over the rows of the given keys only: after {@link #apply}, the source's (in the snapshot the
   * delta was read in) and the target's must be equal.
   */
  String checksum(Connection c, boolean source, TenantTable table, java.util.Collection<String> keys) throws SQLException {
    String schema = source ? fromSchema : toSchema;
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) || '/' || COALESCE(sum(hashtextextended("
      + table.key() + " || '=' || " + table.fingerprint() + ", 0)), 0) FROM " + qualified(schema, table)
      + " WHERE tenant_id = '" + tenantId + "' AND " + table.match())) {
      ps.setArray(1, textArray(c, new ArrayList<>(keys)));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * The tenant's row count and a checksum over its keys and fingerprints: the sum of each row's 64-bit
   * {@code hashtextextended}, which needs no order (no sort) and is several times cheaper than an MD5 per row. The
   * hash is PostgreSQL's own and stable within a major version: both servers of a move must run the same major.
   */
  String checksum(Connection c, boolean source, TenantTable table) throws SQLException {
    String schema = source ? fromSchema : toSchema;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) || '/' || COALESCE(sum("
      + "hashtextextended(" + table.key() + " || '=' || " + table.fingerprint() + ", 0)), 0) FROM "
      + qualified(schema, table) + " WHERE tenant_id = '" + tenantId + "'")) {
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

  /** Keys and fingerprints, fetched in batches (a cursor). */
  private final class KeyCursor implements AutoCloseable {
    private final Statement statement;
    private final ResultSet rows;
    String key;
    String print;

    KeyCursor(Connection c, String schema, TenantTable table) throws SQLException {
      statement = c.createStatement();
      statement.setFetchSize(10_000);
      rows = statement.executeQuery("SELECT " + table.key() + ", " + table.fingerprint() + " FROM "
        + qualified(schema, table) + " WHERE tenant_id = '" + tenantId + "'");
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

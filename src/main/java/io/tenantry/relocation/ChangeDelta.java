package io.tenantry.relocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * What changed in a tenant's tables since a <em>horizon</em>, read from the source without scanning the tenant, so
 * that a catch-up pass (and the last one, inside the write pause) costs what was written since the previous pass,
 * not what the tenant holds.
 *
 * <p>Every write of a record or a file stores its audit entry in the write's own statement (RecordSql, BatchSql,
 * FileSql), and every entry carries its transaction's id ({@code xid}, tenant migration V4): so the entries whose
 * xid is at or above the horizon name every record and file written by a transaction the previous pass could not
 * see, and are themselves the audit log's new rows. The horizon of a pass is that of the records change feed
 * (ChangeSql.HORIZON): the oldest transaction of this database still running in the pass's snapshot, else the
 * snapshot's xmax — every transaction below it has ended, and is in the snapshot if it committed. Seals and anchors
 * are appended in position order by one sealer at a time (an advisory lock): the new ones are those past the
 * target's last position; a new anchor means the pruner removed a prefix of the chain, which the target then
 * removes too.
 */
final class ChangeDelta {
  /** The same horizon as the records change feed's (io.tenantry.records.changes.ChangeSql.HORIZON). */
  private static final String HORIZON = "SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s.snap) AS x WHERE NOT EXISTS ("
    + "SELECT 1 FROM pg_stat_activity b WHERE b.backend_xid = x::xid AND b.datname <> current_database())), "
    + "pg_snapshot_xmax(s.snap))::text FROM (SELECT pg_current_snapshot() AS snap) s";

  private final UUID tenantId;
  private final String fromSchema;
  private final String toSchema;

  ChangeDelta(UUID tenantId, String fromSchema, String toSchema) {
    this.tenantId = tenantId;
    this.fromSchema = fromSchema;
    this.toSchema = toSchema;
  }

  /** The horizon of the connection's current snapshot (in a REPEATABLE READ transaction: the transaction's). */
  static String horizon(Connection source) throws SQLException {
    try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(HORIZON)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * The keys, per table, of the rows to copy again (or to delete from the target, when gone from the source): read
   * in the source's current snapshot, against the target's committed state. Also returns, as {@link Keys#prunedTo},
   * the last position of a chain prefix pruned on the source since the target's last anchor (0 when none).
   */
  Keys since(Connection source, Connection target, String horizon) throws SQLException {
    Map<TenantTable, Set<String>> keys = new LinkedHashMap<>();
    TenantTable.ALL.forEach(t -> keys.put(t, new LinkedHashSet<>()));
    // Two index scans: record writes' entries (the change feed's partial index), the others' (platform V59, tenant V5).
    String log = quoteIdent(fromSchema) + ".audit_log";
    String entries = "SELECT action, target, id::text FROM " + log + " WHERE tenant_id = '" + tenantId
      + "' AND xid >= ?::text::xid8 AND action LIKE 'record.%' UNION ALL SELECT action, target, id::text FROM " + log
      + " WHERE tenant_id = '" + tenantId + "' AND xid >= ?::text::xid8 AND action NOT LIKE 'record.%'";
    try (PreparedStatement ps = source.prepareStatement(entries)) {
      ps.setString(1, horizon);
      ps.setString(2, horizon);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String action = rs.getString(1);
          String target1 = rs.getString(2);
          keys.get(TenantTable.AUDIT_LOG).add(rs.getString(3));
          if (target1 == null) {
            continue;
          }
          if (action.startsWith("record.")) {
            int slash = target1.indexOf('/'); // <collection>/<record id>
            if (slash > 0) {
              keys.get(TenantTable.RECORDS).add(target1.substring(0, slash) + ":" + target1.substring(slash + 1));
            }
          } else if (action.startsWith("file.")) {
            keys.get(TenantTable.FILES).add(target1); // the file's path
          }
        }
      }
    }
    long sealed = last(target, toSchema, TenantTable.AUDIT_SEAL);
    positionsAfter(source, TenantTable.AUDIT_SEAL, sealed, keys.get(TenantTable.AUDIT_SEAL));
    long anchored = last(target, toSchema, TenantTable.AUDIT_ANCHOR);
    Set<String> anchors = keys.get(TenantTable.AUDIT_ANCHOR);
    positionsAfter(source, TenantTable.AUDIT_ANCHOR, anchored, anchors);
    long prunedTo = anchors.stream().mapToLong(Long::parseLong).max().orElse(0);
    return new Keys(keys, prunedTo);
  }

  private long last(Connection c, String schema, TenantTable table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(position), 0) FROM "
      + quoteIdent(schema) + "." + table.name() + " WHERE tenant_id = '" + tenantId + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void positionsAfter(Connection source, TenantTable table, long after, Set<String> into) throws SQLException {
    try (PreparedStatement ps = source.prepareStatement("SELECT position::text FROM " + quoteIdent(fromSchema) + "."
      + table.name() + " WHERE tenant_id = '" + tenantId + "' AND position > ?")) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(rs.getString(1));
        }
      }
    }
  }

  /** The keys of one delta, per table, and the end of a pruned chain prefix to remove from the target (0: none). */
  record Keys(Map<TenantTable, Set<String>> byTable, long prunedTo) {
    long size() {
      return byTable.values().stream().mapToLong(Set::size).sum();
    }
  }
}

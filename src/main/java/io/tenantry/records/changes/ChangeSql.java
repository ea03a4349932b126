package io.tenantry.records.changes;

import io.tenantry.audit.AuditSql;
import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The change feed's statements for one tier's schema. {@link #page} reads the audit entries of a collection's
 * record writes after a position, only of transactions below the read's {@link #HORIZON} (all ended), and returns
 * that horizon even when there is no entry. The entry's target is
 * {@code <collection>/<record id>} (RecordSql, BatchSql); the id is cast only in the outer query, over the entries
 * the inner one selected. {@link #records} reads the current state of the records a page names.
 */
record ChangeSql(String page, String records) {
  /**
   * The horizon of a read: the oldest transaction still running in the statement's snapshot, unless it is known to
   * run in another database (its backend's database, by its xid, in pg_stat_activity) — it cannot write this
   * database's tables, and transaction ids are shared by every database of a PostgreSQL cluster, so without this a
   * long transaction of another database would hold every feed back. An xid that cannot be placed (its transaction
   * ended since the snapshot was taken) holds the horizon: its changes may be invisible to this snapshot and still
   * committed. With none running, the snapshot's xmax. Every transaction below the horizon that can write here has
   * ended and is visible to this snapshot if it committed.
   */
  static final String HORIZON = "SELECT coalesce((SELECT min(x) FROM pg_snapshot_xip(s.snap) AS x WHERE NOT EXISTS ("
    + "SELECT 1 FROM pg_stat_activity b WHERE b.backend_xid = x::xid AND b.datname <> current_database())), "
    + "pg_snapshot_xmax(s.snap)) AS horizon FROM (SELECT pg_current_snapshot() AS snap) s";

  static ChangeSql forSchema(String schema) {
    String log = AuditSql.forSchema(schema).log();
    return new ChangeSql(
      "SELECT h.horizon::text AS horizon, c.xid::text AS xid, c.id, c.action, c.at, split_part(c.target, '/', 2) AS record "
        + "FROM (" + HORIZON + ") h LEFT JOIN LATERAL ("
        + "SELECT a.xid, a.id, a.action, a.at, a.target FROM " + log + " a WHERE a.tenant_id = $1 AND " + TenantDb.CONTEXT
        + " AND a.action LIKE 'record.%' AND a.outcome = 'success' AND split_part(a.target, '/', 1) = $2"
        + " AND (a.xid, a.id) > ($3::text::xid8, $4::uuid) AND a.xid < h.horizon"
        + " ORDER BY a.xid, a.id LIMIT $5) c ON true ORDER BY c.xid, c.id",
      "SELECT " + Record.COLUMNS + " FROM " + quoteIdent(schema) + ".records WHERE tenant_id = $1 "
        + "AND collection = $2 AND id = ANY($3::uuid[]) AND " + TenantDb.CONTEXT);
  }
}

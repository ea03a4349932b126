package io.tenantry.records.changes;

import io.tenantry.audit.AuditSql;
import io.tenantry.data.TenantDb;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The change feed's statements for one tier's schema. {@link #page} reads the audit entries of a collection's
 * record writes after a position, only of transactions below the statement's own snapshot xmin (all ended), and
 * returns that xmin as {@code horizon} even when there is no entry. The entry's target is
 * {@code <collection>/<record id>} (RecordSql, BatchSql); the id is cast only in the outer query, over the entries
 * the inner one selected. {@link #records} reads the current state of the records a page names.
 */
record ChangeSql(String page, String records) {
  static ChangeSql forSchema(String schema) {
    String log = AuditSql.forSchema(schema).log();
    return new ChangeSql(
      "SELECT h.horizon::text AS horizon, c.xid::text AS xid, c.id, c.action, c.at, split_part(c.target, '/', 2) AS record "
        + "FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h LEFT JOIN LATERAL ("
        + "SELECT a.xid, a.id, a.action, a.at, a.target FROM " + log + " a WHERE a.tenant_id = $1 AND " + TenantDb.CONTEXT
        + " AND a.action LIKE 'record.%' AND a.outcome = 'success' AND split_part(a.target, '/', 1) = $2"
        + " AND (a.xid, a.id) > ($3::text::xid8, $4::uuid) AND a.xid < h.horizon"
        + " ORDER BY a.xid, a.id LIMIT $5) c ON true ORDER BY c.xid, c.id",
      "SELECT id, version, data, created_at, updated_at FROM " + quoteIdent(schema) + ".records WHERE tenant_id = $1 "
        + "AND collection = $2 AND id = ANY($3::uuid[]) AND " + TenantDb.CONTEXT);
  }
}

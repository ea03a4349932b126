package io.tenantry.audit;

import io.tenantry.data.TenantDb;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The audit statements of one tenant tier's schema (shared, "t_&lt;id&gt;" or a database's "tenant"), schema-qualified
 * like RecordSql. Every statement takes the tenant id as $1 and carries {@link TenantDb#CONTEXT}.
 */
public record AuditSql(String log, String seal, String anchor, String insert, String page, String head,
                       String unsealed, String appendSeals, String latestAnchor, String chain, String counts) {
  static final String COLUMNS = "tenant_id, id, at, actor_user, actor_key, impersonator, action, target, outcome, "
    + "status, request_id, client_address, detail::text AS detail_text";
  static final String A_COLUMNS = "a.tenant_id, a.id, a.at, a.actor_user, a.actor_key, a.impersonator, a.action, "
    + "a.target, a.outcome, a.status, a.request_id, a.client_address, a.detail::text AS detail_text";
  /** The stored columns, in the order {@link #insert} and {@link #appendedTo} fill them. */
  static final String INSERT_COLUMNS = "(tenant_id, id, actor_user, actor_key, impersonator, action, target, outcome, "
    + "status, request_id, client_address, detail)";

  public static AuditSql forSchema(String schema) {
    String s = quoteIdent(schema);
    String log = s + ".audit_log";
    String seal = s + ".audit_seal";
    String anchor = s + ".audit_anchor";
    return new AuditSql(log, seal, anchor,
      "INSERT INTO " + log + " " + INSERT_COLUMNS + " SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, "
        + "$6::text, $7::text, $8::text, $9::int, $10::text, $11::text, $12::jsonb WHERE " + TenantDb.CONTEXT,
      // newest first; each filter is off when its parameter is null
      "SELECT " + COLUMNS + " FROM " + log + " WHERE tenant_id = $1 AND " + TenantDb.CONTEXT
        + " AND ($2::uuid IS NULL OR actor_user = $2 OR actor_key = $2)"
        + " AND ($3::text IS NULL OR action LIKE $3)"
        + " AND ($4::timestamptz IS NULL OR at >= $4)"
        + " AND ($5::timestamptz IS NULL OR at < $5)"
        + " AND ($6::text IS NULL OR outcome = $6)"
        + " AND ($7::uuid IS NULL OR id < $7)"
        + " ORDER BY id DESC LIMIT $8",
      "SELECT position, hash FROM " + seal + " WHERE tenant_id = $1 AND " + TenantDb.CONTEXT
        + " ORDER BY position DESC LIMIT 1",
      // entries not chained yet, from $2 seconds before the time of the chain's head entry (a write's entry can
      // commit after a later one was sealed; no head, or a head whose entry was pruned: from the start), in time order
      "SELECT " + A_COLUMNS + " FROM " + log + " a WHERE a.tenant_id = $1 AND " + TenantDb.CONTEXT
        + " AND a.at >= coalesce((SELECT h.at - make_interval(secs => $2) FROM " + seal + " s LEFT JOIN " + log
        + " h ON h.tenant_id = s.tenant_id AND h.id = s.entry_id WHERE s.tenant_id = $1 ORDER BY s.position DESC LIMIT 1),"
        + " '-infinity')"
        + " AND NOT EXISTS (SELECT 1 FROM " + seal + " s WHERE s.tenant_id = $1 AND s.entry_id = a.id)"
        + " ORDER BY a.at, a.id LIMIT $3",
      "INSERT INTO " + seal + " (tenant_id, position, entry_id, hash) SELECT $1::uuid, u.p, u.e, decode(u.h, 'hex') "
        + "FROM unnest($2::bigint[], $3::uuid[], $4::text[]) AS u(p, e, h) WHERE " + TenantDb.CONTEXT,
      "SELECT position, hash FROM " + anchor + " WHERE tenant_id = $1 AND " + TenantDb.CONTEXT
        + " ORDER BY position DESC LIMIT 1",
      "SELECT s.position, s.entry_id, s.hash, " + A_COLUMNS + " FROM " + seal + " s LEFT JOIN " + log + " a "
        + "ON a.tenant_id = s.tenant_id AND a.id = s.entry_id WHERE s.tenant_id = $1 AND " + TenantDb.CONTEXT
        + " AND s.position > $2 ORDER BY s.position LIMIT $3",
      "SELECT (SELECT count(*) FROM " + log + " WHERE tenant_id = $1 AND " + TenantDb.CONTEXT + ") AS entries, "
        + "(SELECT count(*) FROM " + log + " a WHERE a.tenant_id = $1 AND " + TenantDb.CONTEXT + " AND NOT EXISTS (SELECT 1 FROM " + seal
        + " s WHERE s.tenant_id = $1 AND s.entry_id = a.id)) AS unsealed");
  }

  /**
   * The values of an entry inserted by a data-modifying CTE next to its write, from the write's own output
   * {@code w}: parameters {@code $first..$first+5} are the entry id, actor user, actor key, impersonator, request id
   * and client address; the action, target and status come from the caller's SQL.
   */
  public String appendedTo(String action, String targetSql, int status, int first) {
    return "INSERT INTO " + log + " " + INSERT_COLUMNS + " SELECT $1::uuid, $" + first + "::uuid, $" + (first + 1)
      + "::uuid, $" + (first + 2) + "::uuid, $" + (first + 3) + "::uuid, '" + action + "', " + targetSql
      + ", 'success', " + status + ", $" + (first + 4) + "::text, $" + (first + 5) + "::text, NULL FROM w WHERE "
      + TenantDb.CONTEXT;
  }
}

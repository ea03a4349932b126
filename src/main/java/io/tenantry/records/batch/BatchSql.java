package io.tenantry.records.batch;

import io.tenantry.audit.AuditSql;
import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The set-based statements of a batch for one records table (schema-qualified, as RecordSql's): one statement per
 * kind of write, whatever the number of items. The items travel as one jsonb array ({@code $3}, read with
 * {@code jsonb_to_recordset}), not one statement per item. Like a single write, each statement stores the audit
 * entry of every item it wrote in a data-modifying CTE of the same statement (one entry per record, each with its
 * own id, all with the request's actor: {@code $4..$8}), so no item is written without its entry; every statement
 * takes the tenant id as $1 and carries {@link TenantDb#CONTEXT}.
 */
record BatchSql(String lock, String create, String update, String delete) {
  private static final String W_COLUMNS = "r.id, r.version, r.data, r.created_at, r.updated_at";

  static BatchSql forSchema(String schema) {
    String table = quoteIdent(schema) + ".records";
    String audit = AuditSql.forSchema(schema).log();
    String items = "v AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS v(id uuid, data jsonb, entry uuid))";
    return new BatchSql(
      // in id order, so that two batches locking overlapping records take the locks in the same order
      "SELECT " + Record.COLUMNS + " FROM " + table + " WHERE tenant_id = $1 AND collection = $2 AND id = ANY($3::uuid[]) AND "
        + TenantDb.CONTEXT + " ORDER BY id FOR UPDATE",
      // an id that exists already is not inserted (ON CONFLICT): the caller reports it as a conflict
      "WITH " + items + ", w AS (INSERT INTO " + table + " AS r (tenant_id, collection, id, data) SELECT $1::uuid, $2::text, "
        + "v.id, v.data FROM v WHERE " + TenantDb.CONTEXT + " ON CONFLICT DO NOTHING RETURNING " + W_COLUMNS + "), "
        + entries(audit, "record.create", 201) + " SELECT " + Record.COLUMNS + " FROM w",
      "WITH " + items + ", w AS (UPDATE " + table + " r SET data = v.data, version = r.version + 1, updated_at = now() "
        + "FROM v WHERE r.tenant_id = $1 AND r.collection = $2 AND r.id = v.id AND " + TenantDb.CONTEXT
        + " RETURNING " + W_COLUMNS + "), " + entries(audit, "record.update", 200) + " SELECT " + Record.COLUMNS + " FROM w",
      "WITH " + items + ", w AS (DELETE FROM " + table + " r USING v WHERE r.tenant_id = $1 AND r.collection = $2 "
        + "AND r.id = v.id AND " + TenantDb.CONTEXT + " RETURNING r.id), " + entries(audit, "record.delete", 204)
        + " SELECT id FROM w");
  }

  /** One entry per written row, with the item's own entry id, in the columns AuditSql stores. */
  private static String entries(String audit, String action, int status) {
    return "a AS (INSERT INTO " + audit + " (tenant_id, id, actor_user, actor_key, impersonator, action, target, "
      + "outcome, status, request_id, client_address, detail) SELECT $1::uuid, v.entry, $4::uuid, $5::uuid, $6::uuid, '"
      + action + "', $2 || '/' || w.id, 'success', " + status + ", $7::text, $8::text, NULL FROM w JOIN v ON v.id = w.id "
      + "WHERE " + TenantDb.CONTEXT + ")";
  }
}

package io.tenantry.records;

import io.tenantry.audit.AuditSql;
import io.tenantry.data.TenantDb;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The records statements for one records table, schema-qualified: shared.records, "t_<id>".records (schema tier)
 * or tenant.records (in a database-tier tenant's database). Never search_path switching: cached prepared
 * statements are keyed by SQL text, so each schema gets its own statements. Every statement takes the tenant id as
 * $1 and uses it twice: as the key ({@code tenant_id = $1}) and as the statement's own tenant context
 * ({@link TenantDb#CONTEXT}), so that row-level security applies to it whichever connection it runs on.
 *
 * <p>The writes store their audit entry in the same statement, a data-modifying CTE ({@code WITH w AS (write
 * RETURNING ...), a AS (INSERT INTO audit_log ... FROM w) SELECT ... FROM w}): one round trip, and no write without
 * its entry — if the entry cannot be stored, the statement fails and the write is not applied. The entry's
 * parameters follow the write's ({@link AuditSql#appendedTo}).
 */
public record RecordSql(String insert, String get, String lock, String update, String delete, String listFirst, String listAfter) {

  public static RecordSql forSchema(String schema) {
    return build(schema, AuditSql.forSchema(schema));
  }

  private static RecordSql build(String schema, AuditSql audit) {
    String table = quoteIdent(schema) + ".records";
    String target = "$2 || '/' || w.id";
    String get = "SELECT " + Record.COLUMNS + " FROM " + table
      + " WHERE tenant_id = $1 AND collection = $2 AND id = $3 AND " + TenantDb.CONTEXT;
    String list = "SELECT " + Record.COLUMNS + " FROM " + table + " WHERE tenant_id = $1 AND collection = $2 AND "
      + TenantDb.CONTEXT + " ";
    return new RecordSql(
      // INSERT ... SELECT, not VALUES: a VALUES row has no WHERE to carry the context.
      audited("INSERT INTO " + table + " (tenant_id, collection, id, data) SELECT $1::uuid, $2::text, $3::uuid, $4::jsonb "
        + "WHERE " + TenantDb.CONTEXT + " RETURNING " + Record.COLUMNS, audit, "record.create", target, 201, 5, Record.COLUMNS),
      get,
      get + " FOR UPDATE",
      audited("UPDATE " + table + " SET data = $4, version = version + 1, updated_at = now() "
        + "WHERE tenant_id = $1 AND collection = $2 AND id = $3 AND " + TenantDb.CONTEXT + " RETURNING " + Record.COLUMNS,
        audit, "record.update", target, 200, 5, Record.COLUMNS),
      audited("DELETE FROM " + table + " WHERE tenant_id = $1 AND collection = $2 AND id = $3 AND " + TenantDb.CONTEXT
        + " RETURNING id", audit, "record.delete", target, 204, 4, "id"),
      list + "ORDER BY id LIMIT $3",
      list + "AND id > $3 ORDER BY id LIMIT $4");
  }

  private static String audited(String write, AuditSql audit, String action, String target, int status, int firstParam,
                                String columns) {
    return "WITH w AS (" + write + "), a AS (" + audit.appendedTo(action, target, status, firstParam) + ") SELECT "
      + columns + " FROM w";
  }
}

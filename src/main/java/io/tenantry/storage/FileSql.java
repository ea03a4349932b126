package io.tenantry.storage;

import io.tenantry.audit.AuditSql;
import io.tenantry.data.TenantDb;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The statements of one tier's files table (shared.files, "t_&lt;id&gt;".files or a database's tenant.files),
 * schema-qualified as RecordSql's are. Every statement takes the tenant id as $1, as its key and as its own tenant
 * context ({@link TenantDb#CONTEXT}). Writes store their audit entry in the same statement (a data-modifying CTE,
 * as records do): a file's metadata never changes without its entry.
 */
record FileSql(String get, String lock, String create, String upsert, String delete, String listFirst, String listAfter,
               String usage, String referenced) {
  private static final String CONTEXT = TenantDb.CONTEXT;

  static FileSql forSchema(String schema) {
    String table = quoteIdent(schema) + ".files";
    AuditSql audit = AuditSql.forSchema(schema);
    String byPath = " WHERE tenant_id = $1 AND path = $2 AND " + CONTEXT;
    String insert = "INSERT INTO " + table + " (tenant_id, path, blob, size, content_type, sha256, uploader) "
      + "SELECT $1::uuid, $2::text, $3::text, $4::bigint, $5::text, $6::text, $7::uuid WHERE " + CONTEXT;
    String list = "SELECT " + FileMeta.COLUMNS + " FROM " + table + " WHERE tenant_id = $1 AND " + CONTEXT
      + " AND left(path, length($2)) = $2 ";
    return new FileSql(
      "SELECT " + FileMeta.COLUMNS + " FROM " + table + byPath,
      "SELECT " + FileMeta.COLUMNS + " FROM " + table + byPath + " FOR UPDATE",
      audited(insert + " ON CONFLICT (tenant_id, path) DO NOTHING RETURNING " + FileMeta.COLUMNS, audit, "file.write", 201),
      audited(insert + " ON CONFLICT (tenant_id, path) DO UPDATE SET blob = EXCLUDED.blob, size = EXCLUDED.size, "
        + "content_type = EXCLUDED.content_type, sha256 = EXCLUDED.sha256, uploader = EXCLUDED.uploader, updated_at = now() "
        + "RETURNING " + FileMeta.COLUMNS, audit, "file.write", 200),
      audited("DELETE FROM " + table + byPath + " AND blob = $3 RETURNING " + FileMeta.COLUMNS, audit, "file.delete", 204),
      list + "ORDER BY path LIMIT $3",
      list + "AND path > $3 ORDER BY path LIMIT $4",
      // one snapshot: the committed usage and which of the given (reserved) blobs it already holds
      "SELECT count(*) AS files, coalesce(sum(size), 0)::bigint AS bytes, "
        + "coalesce(array_agg(blob) FILTER (WHERE blob = ANY($2::text[])), '{}') AS committed FROM " + table
        + " WHERE tenant_id = $1 AND " + CONTEXT,
      "SELECT 1 FROM " + table + " WHERE tenant_id = $1 AND blob = $2 AND " + CONTEXT);
  }

  /** The write's columns, then its audit entry from the write's own output; the entry's parameters follow $7/$3. */
  private static String audited(String write, AuditSql audit, String action, int status) {
    int first = write.startsWith("DELETE") ? 4 : 8;
    return "WITH w AS (" + write + "), a AS (" + audit.appendedTo(action, "w.path", status, first) + ") SELECT "
      + FileMeta.COLUMNS + " FROM w";
  }
}

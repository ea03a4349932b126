package io.tenantry.records;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The records statements for one records table, schema-qualified: shared.records, "t_<id>".records (schema tier)
 * or tenant.records (in a database-tier tenant's database). Never search_path switching: cached prepared
 * statements are keyed by SQL text, so each schema gets its own statements.
 */
record RecordSql(String insert, String get, String lock, String update, String delete, String listFirst, String listAfter) {
  private static final String COLUMNS = "id, version, data, created_at, updated_at";

  static RecordSql forSchema(String schema) {
    String table = quoteIdent(schema) + ".records";
    String get = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = $1 AND collection = $2 AND id = $3";
    String list = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = $1 AND collection = $2 ";
    return new RecordSql(
      "INSERT INTO " + table + " (tenant_id, collection, id, data) VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS,
      get,
      get + " FOR UPDATE",
      "UPDATE " + table + " SET data = $4, version = version + 1, updated_at = now() "
        + "WHERE tenant_id = $1 AND collection = $2 AND id = $3 RETURNING " + COLUMNS,
      "DELETE FROM " + table + " WHERE tenant_id = $1 AND collection = $2 AND id = $3",
      list + "ORDER BY id LIMIT $3",
      list + "AND id > $3 ORDER BY id LIMIT $4");
  }
}

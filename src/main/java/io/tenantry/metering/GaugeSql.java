package io.tenantry.metering;

import io.tenantry.data.TenantDb;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * One tier's gauge sample (shared, "t_&lt;id&gt;" or a database's tenant schema): the tenant's records, files and file
 * bytes in one statement under its own context ({@link TenantDb#CONTEXT}), as every tenant statement is. Row-level
 * security is forced for the owner too, so even the shared tier is counted tenant by tenant; the counts read the
 * primary keys' indexes, and the files' sum only the files table.
 */
record GaugeSql(String sample) {
  static GaugeSql forSchema(String schema) {
    String s = quoteIdent(schema);
    String own = " WHERE tenant_id = $1 AND " + TenantDb.CONTEXT;
    return new GaugeSql("SELECT (SELECT count(*) FROM " + s + ".records" + own + ") AS records, f.files, f.bytes "
      + "FROM (SELECT count(*) AS files, coalesce(sum(size), 0)::bigint AS bytes FROM " + s + ".files" + own + ") f");
  }
}

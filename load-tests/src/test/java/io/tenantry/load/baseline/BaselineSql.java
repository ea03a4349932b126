package io.tenantry.load.baseline;

import io.tenantry.auth.Caller;
import io.tenantry.data.TenantDb;
import io.tenantry.http.Problem;
import io.tenantry.records.Record;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;

/**
 * The statements the baseline serves records with. {@link #plain()}: its own table {@code baseline.records}, no
 * tenant key, no row-level security — the yardstick. {@link #sharedTier()}: the multi-tenant server's
 * {@code shared.records} through the shared tier's statement shapes (those of {@code io.tenantry.records.RecordSql}
 * without the audit entry: tenant key, the statement's tenant context {@link TenantDb#CONTEXT}, forced row-level
 * security, the foreign key to the tenant), the tenant id taken straight from the verified token — PostgreSQL's isolation work without any of the server's tenant machinery, so that the
 * overhead benchmark can measure the two apart ({@code ABLATION=1 load-tests/overhead.sh}).
 * Every statement's arguments are the plain table's with the tenant id in front when {@link #keyed()}.
 */
record BaselineSql(boolean keyed, String insert, String get, String lock, String update, String listFirst,
                   String listAfter) {
  /** The product's own (the document as text, decoded by {@link Record#from}), so that both decode it alike. */
  private static final String COLUMNS = Record.COLUMNS;

  static BaselineSql plain() {
    String table = BaselineRecords.TABLE;
    String get = "SELECT " + COLUMNS + " FROM " + table + " WHERE collection = $1 AND id = $2";
    return new BaselineSql(false,
      "INSERT INTO " + table + " (collection, id, data) VALUES ($1, $2, $3) RETURNING " + COLUMNS,
      get,
      get + " FOR UPDATE",
      "UPDATE " + table + " SET data = $3, version = version + 1, updated_at = now() "
        + "WHERE collection = $1 AND id = $2 RETURNING " + COLUMNS,
      "SELECT " + COLUMNS + " FROM " + table + " WHERE collection = $1 ORDER BY id LIMIT $2",
      "SELECT " + COLUMNS + " FROM " + table + " WHERE collection = $1 AND id > $2 ORDER BY id LIMIT $3");
  }

  /** Kept in step with RecordSql's shapes by hand: the audit entry is on the multi-tenant server's side of the ablation. */
  static BaselineSql sharedTier() {
    String table = "shared.records";
    String get = "SELECT " + COLUMNS + " FROM " + table
      + " WHERE tenant_id = $1 AND collection = $2 AND id = $3 AND " + TenantDb.CONTEXT;
    String list = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = $1 AND collection = $2 AND "
      + TenantDb.CONTEXT + " ";
    return new BaselineSql(true,
      "INSERT INTO " + table + " (tenant_id, collection, id, data) SELECT $1::uuid, $2::text, $3::uuid, $4::jsonb "
        + "WHERE " + TenantDb.CONTEXT + " RETURNING " + COLUMNS,
      get,
      get + " FOR UPDATE",
      "UPDATE " + table + " SET data = $4, version = version + 1, updated_at = now() "
        + "WHERE tenant_id = $1 AND collection = $2 AND id = $3 AND " + TenantDb.CONTEXT + " RETURNING " + COLUMNS,
      list + "ORDER BY id LIMIT $3",
      list + "AND id > $3 ORDER BY id LIMIT $4");
  }

  /** The statement's arguments: {@code values}, after the caller's tenant id when keyed. */
  Tuple args(RoutingContext ctx, Object... values) {
    if (!keyed) {
      return Tuple.wrap(values);
    }
    Caller caller = Caller.of(ctx);
    if (caller == null || caller.tenantId() == null) {
      throw Problem.badRequest("the shared-table baseline needs a token for a tenant");
    }
    Object[] keyedValues = new Object[values.length + 1];
    keyedValues[0] = caller.tenantId();
    System.arraycopy(values, 0, keyedValues, 1, values.length);
    return Tuple.wrap(keyedValues);
  }
}

package io.tenantry.baseline;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.records.RecordSql;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;

/**
 * The statements the baseline serves records with. {@link #plain()}: its own table {@code baseline.records}, no
 * tenant key, no row-level security — the yardstick. {@link #sharedTier()}: the multi-tenant server's
 * {@code shared.records} through the shared tier's own statements ({@link RecordSql}: tenant key, the statement's
 * tenant context, forced row-level security, the foreign key to the tenant), the tenant id taken straight from the
 * verified token — PostgreSQL's isolation work without any of the server's tenant machinery, so that the
 * overhead benchmark can measure the two apart ({@code ABLATION=1 load-tests/overhead.sh}).
 * Every statement's arguments are the plain table's with the tenant id in front when {@link #keyed()}.
 */
record BaselineSql(boolean keyed, String insert, String get, String lock, String update, String listFirst,
                   String listAfter) {
  private static final String COLUMNS = "id, version, data, created_at, updated_at";

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

  static BaselineSql sharedTier() {
    RecordSql sql = RecordSql.unaudited("shared");
    return new BaselineSql(true, sql.insert(), sql.get(), sql.lock(), sql.update(), sql.listFirst(), sql.listAfter());
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

package io.tenantry.records;

import io.tenantry.data.TenantDb;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Reads a tenant's records of one collection whose data contains a JSON fragment ({@code data @> $3}): the filter is
 * a bound jsonb value, never SQL, and the statement is a tenant statement like every other (its own context and
 * {@code tenant_id = $1}), so it sees the tenant's rows only, in whichever tier it runs.
 */
public final class RecordSearch {
  private final Map<String, String> bySchema = new ConcurrentHashMap<>();

  private String sql(Tenant tenant) {
    return bySchema.computeIfAbsent(tenant.schema(), schema -> "SELECT " + Record.COLUMNS + " FROM " + quoteIdent(schema)
      + ".records WHERE tenant_id = $1 AND collection = $2 AND " + TenantDb.CONTEXT
      + " AND data @> $3::jsonb ORDER BY id LIMIT $4");
  }

  /** Up to {@code limit} matching records, in id (creation) order. */
  public Future<List<Record>> containing(SqlClient conn, Tenant tenant, String collection, JsonObject filter, int limit) {
    return conn.preparedQuery(sql(tenant)).execute(Tuple.of(tenant.id(), collection, filter, limit)).map(rows -> {
      List<Record> records = new ArrayList<>(rows.size());
      rows.forEach(row -> records.add(Record.from(row, collection)));
      return records;
    });
  }
}

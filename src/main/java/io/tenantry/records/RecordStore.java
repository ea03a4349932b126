package io.tenantry.records;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the shared tier's records table. Always called on a connection from TenantDb (tenant context set);
 * every statement also names tenant_id, so a context that is somehow wrong yields no rows rather than others'.
 */
public final class RecordStore {
  private static final String COLUMNS = "id, version, data, created_at, updated_at";
  private static final String INSERT = "INSERT INTO shared.records (tenant_id, collection, id, data) VALUES ($1, $2, $3, $4) "
    + "RETURNING " + COLUMNS;
  private static final String GET = "SELECT " + COLUMNS + " FROM shared.records WHERE tenant_id = $1 AND collection = $2 AND id = $3";
  private static final String GET_FOR_UPDATE = GET + " FOR UPDATE";
  private static final String UPDATE = "UPDATE shared.records SET data = $4, version = version + 1, updated_at = now() "
    + "WHERE tenant_id = $1 AND collection = $2 AND id = $3 RETURNING " + COLUMNS;
  private static final String DELETE = "DELETE FROM shared.records WHERE tenant_id = $1 AND collection = $2 AND id = $3";
  private static final String LIST_FIRST = "SELECT " + COLUMNS + " FROM shared.records WHERE tenant_id = $1 AND collection = $2 "
    + "ORDER BY id LIMIT $3";
  private static final String LIST_AFTER = "SELECT " + COLUMNS + " FROM shared.records WHERE tenant_id = $1 AND collection = $2 "
    + "AND id > $3 ORDER BY id LIMIT $4";

  public Future<Record> insert(SqlConnection conn, UUID tenant, String collection, UUID id, JsonObject data) {
    return conn.preparedQuery(INSERT).execute(Tuple.of(tenant, collection, id, data))
      .map(rows -> Record.from(rows.iterator().next(), collection));
  }

  public Future<Optional<Record>> get(SqlConnection conn, UUID tenant, String collection, UUID id) {
    return one(conn.preparedQuery(GET).execute(Tuple.of(tenant, collection, id)), collection);
  }

  public Future<Optional<Record>> lock(SqlConnection conn, UUID tenant, String collection, UUID id) {
    return one(conn.preparedQuery(GET_FOR_UPDATE).execute(Tuple.of(tenant, collection, id)), collection);
  }

  public Future<Record> update(SqlConnection conn, UUID tenant, String collection, UUID id, JsonObject data) {
    return conn.preparedQuery(UPDATE).execute(Tuple.of(tenant, collection, id, data))
      .map(rows -> Record.from(rows.iterator().next(), collection));
  }

  public Future<Void> delete(SqlConnection conn, UUID tenant, String collection, UUID id) {
    return conn.preparedQuery(DELETE).execute(Tuple.of(tenant, collection, id)).mapEmpty();
  }

  public Future<List<Record>> list(SqlConnection conn, UUID tenant, String collection, UUID after, int limit) {
    Future<RowSet<Row>> rows = after == null
      ? conn.preparedQuery(LIST_FIRST).execute(Tuple.of(tenant, collection, limit))
      : conn.preparedQuery(LIST_AFTER).execute(Tuple.of(tenant, collection, after, limit));
    return rows.map(set -> {
      List<Record> records = new ArrayList<>(set.size());
      set.forEach(row -> records.add(Record.from(row, collection)));
      return records;
    });
  }

  private static Future<Optional<Record>> one(Future<RowSet<Row>> rows, String collection) {
    return rows.map(set -> set.size() == 0 ? Optional.empty() : Optional.of(Record.from(set.iterator().next(), collection)));
  }
}

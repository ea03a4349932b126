package io.tenantry.records.batch;

import io.tenantry.tenant.SchemaMemo;
import io.tenantry.audit.AuditActor;
import io.tenantry.http.Uuids;
import io.tenantry.records.Record;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Runs a batch's set-based statements on the tenant's connection (inside the batch's transaction). */
final class BatchStore {
  /** A write of one item: the record's id and, except for deletes, its new data. */
  record Write(UUID id, JsonObject data) {
  }

  private final SchemaMemo<BatchSql> bySchema = new SchemaMemo<>(BatchSql::forSchema);

  private BatchSql sql(Tenant tenant) {
    return bySchema.of(tenant.schema());
  }

  /** Locks the records (FOR UPDATE) and returns those that exist, by id. */
  Future<Map<UUID, Record>> lock(SqlClient conn, Tenant tenant, String collection, List<UUID> ids) {
    return conn.preparedQuery(sql(tenant).lock())
      .execute(Tuple.of(tenant.id(), collection, ids.toArray(new UUID[0])))
      .map(rows -> byId(rows, collection));
  }

  /** @return the records inserted, by id; an id already taken is absent */
  Future<Map<UUID, Record>> create(SqlClient conn, Tenant tenant, String collection, List<Write> writes, AuditActor actor) {
    return write(conn, sql(tenant).create(), tenant, collection, writes, actor).map(rows -> byId(rows, collection));
  }

  Future<Map<UUID, Record>> update(SqlClient conn, Tenant tenant, String collection, List<Write> writes, AuditActor actor) {
    return write(conn, sql(tenant).update(), tenant, collection, writes, actor).map(rows -> byId(rows, collection));
  }

  /** @return how many were deleted */
  Future<Integer> delete(SqlClient conn, Tenant tenant, String collection, List<Write> writes, AuditActor actor) {
    return write(conn, sql(tenant).delete(), tenant, collection, writes, actor).map(rows -> rows == null ? 0 : rows.rowCount());
  }

  private static Future<RowSet<Row>> write(SqlClient conn, String sql, Tenant tenant, String collection,
                                           List<Write> writes, AuditActor actor) {
    if (writes.isEmpty()) {
      return Future.succeededFuture(null);
    }
    JsonArray items = new JsonArray(new java.util.ArrayList<>(writes.size()));
    for (Write w : writes) {
      items.add(new JsonObject().put("id", w.id().toString()).put("data", w.data()).put("entry", Uuids.v7().toString()));
    }
    return conn.preparedQuery(sql).execute(Tuple.of(tenant.id(), collection, items).addUUID(actor.user())
      .addUUID(actor.key()).addUUID(actor.impersonator()).addString(actor.requestId()).addString(actor.clientAddress()));
  }

  private static Map<UUID, Record> byId(RowSet<Row> rows, String collection) {
    Map<UUID, Record> found = new HashMap<>();
    if (rows != null) {
      for (Row row : rows) {
        found.put(row.getUUID("id"), Record.from(row, collection));
      }
    }
    return found;
  }
}

package io.tenantry.records;

import io.tenantry.tenant.SchemaMemo;
import io.tenantry.audit.AuditActor;
import io.tenantry.tenant.Tenant;
import io.tenantry.http.Uuids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the records tables, in whichever tier the tenant lives. Always called on a client from TenantDb (the
 * tenant's pool, under its cap); every statement sets its own transaction-local tenant context and names tenant_id,
 * so a context and a key that disagree yield no rows rather than another tenant's.
 */
public final class RecordStore {
  private final SchemaMemo<RecordSql> bySchema = new SchemaMemo<>(RecordSql::forSchema);

  private RecordSql sql(Tenant tenant) {
    return bySchema.of(tenant.schema());
  }

  public Future<Record> insert(SqlClient conn, Tenant tenant, String collection, UUID id, JsonObject data, AuditActor actor) {
    return conn.preparedQuery(sql(tenant).insert()).execute(audited(Tuple.of(tenant.id(), collection, id, data), actor))
      .map(rows -> Record.from(rows.iterator().next(), collection));
  }

  public Future<Optional<Record>> get(SqlClient conn, Tenant tenant, String collection, UUID id) {
    return one(conn.preparedQuery(sql(tenant).get()).execute(Tuple.of(tenant.id(), collection, id)), collection);
  }

  public Future<Optional<Record>> lock(SqlClient conn, Tenant tenant, String collection, UUID id) {
    return one(conn.preparedQuery(sql(tenant).lock()).execute(Tuple.of(tenant.id(), collection, id)), collection);
  }

  public Future<Record> update(SqlClient conn, Tenant tenant, String collection, UUID id, JsonObject data, AuditActor actor) {
    return conn.preparedQuery(sql(tenant).update()).execute(audited(Tuple.of(tenant.id(), collection, id, data), actor))
      .map(rows -> Record.from(rows.iterator().next(), collection));
  }

  public Future<Void> delete(SqlClient conn, Tenant tenant, String collection, UUID id, AuditActor actor) {
    return conn.preparedQuery(sql(tenant).delete()).execute(audited(Tuple.of(tenant.id(), collection, id), actor)).mapEmpty();
  }

  /** The write's audit entry: its id, then who and through which request (RecordSql's CTE). */
  private static Tuple audited(Tuple write, AuditActor actor) {
    return write.addUUID(Uuids.v7()).addUUID(actor.user()).addUUID(actor.key()).addUUID(actor.impersonator())
      .addString(actor.requestId()).addString(actor.clientAddress());
  }

  public Future<List<Record>> list(SqlClient conn, Tenant tenant, String collection, UUID after, int limit) {
    RecordSql sql = sql(tenant);
    Future<RowSet<Row>> rows = after == null
      ? conn.preparedQuery(sql.listFirst()).execute(Tuple.of(tenant.id(), collection, limit))
      : conn.preparedQuery(sql.listAfter()).execute(Tuple.of(tenant.id(), collection, after, limit));
    return rows.map(set -> {
      List<Record> records = new ArrayList<>(set.size());
      set.forEach(row -> records.add(Record.from(row, collection)));
      return records;
    });
  }

  private static Future<Optional<Record>> one(Future<RowSet<Row>> rows, String collection) {
    return rows.map(set -> set.size() == 0 ? Optional.<Record>empty() : Optional.of(Record.from(set.iterator().next(), collection)));
  }
}

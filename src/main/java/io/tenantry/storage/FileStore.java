package io.tenantry.storage;

import io.tenantry.audit.AuditActor;
import io.tenantry.http.Uuids;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file metadata in the tenant's own tier: the one class that runs {@link FileSql}. Called on a client from
 * TenantDb, like RecordStore.
 */
final class FileStore {
  private final Map<String, FileSql> bySchema = new ConcurrentHashMap<>();

  private FileSql sql(Tenant tenant) {
    return bySchema.computeIfAbsent(tenant.schema(), FileSql::forSchema);
  }

  Future<Optional<FileMeta>> get(SqlClient conn, Tenant tenant, String path) {
    return one(conn.preparedQuery(sql(tenant).get()).execute(Tuple.of(tenant.id(), path)));
  }

  Future<Optional<FileMeta>> lock(SqlClient conn, Tenant tenant, String path) {
    return one(conn.preparedQuery(sql(tenant).lock()).execute(Tuple.of(tenant.id(), path)));
  }

  /** Inserts, or with {@code replace} replaces; empty when the path exists and was not to be replaced. */
  Future<Optional<FileMeta>> put(SqlClient conn, Tenant tenant, FileMeta file, boolean replace, AuditActor actor) {
    Tuple args = Tuple.of(tenant.id(), file.path(), file.blob(), file.size(), file.contentType(), file.sha256())
      .addUUID(file.uploader());
    return one(conn.preparedQuery(replace ? sql(tenant).upsert() : sql(tenant).create()).execute(audited(args, actor)));
  }

  /** Deletes the path if it still holds {@code blob}. */
  Future<Optional<FileMeta>> delete(SqlClient conn, Tenant tenant, String path, String blob, AuditActor actor) {
    return one(conn.preparedQuery(sql(tenant).delete()).execute(audited(Tuple.of(tenant.id(), path, blob), actor)));
  }

  Future<List<FileMeta>> list(SqlClient conn, Tenant tenant, String prefix, String after, int limit) {
    FileSql sql = sql(tenant);
    Future<RowSet<Row>> rows = after == null
      ? conn.preparedQuery(sql.listFirst()).execute(Tuple.of(tenant.id(), prefix, limit))
      : conn.preparedQuery(sql.listAfter()).execute(Tuple.of(tenant.id(), prefix, after, limit));
    return rows.map(set -> {
      List<FileMeta> files = new ArrayList<>(set.size());
      set.forEach(row -> files.add(FileMeta.from(row)));
      return files;
    });
  }

  /** The committed usage, and which of {@code reserved} blobs the metadata already references. */
  Future<Usage> usage(SqlClient conn, Tenant tenant, List<String> reserved) {
    return conn.preparedQuery(sql(tenant).usage()).execute(Tuple.of(tenant.id()).addArrayOfString(reserved.toArray(String[]::new)))
      .map(rows -> {
        Row row = rows.iterator().next();
        return new Usage(row.getLong("bytes"), row.getLong("files"), java.util.Set.of(row.getArrayOfStrings("committed")));
      });
  }

  Future<Boolean> referenced(SqlClient conn, Tenant tenant, String blob) {
    return conn.preparedQuery(sql(tenant).referenced()).execute(Tuple.of(tenant.id(), blob)).map(rows -> rows.size() > 0);
  }

  private static Tuple audited(Tuple write, AuditActor actor) {
    return write.addUUID(Uuids.v7()).addUUID(actor.user()).addUUID(actor.key()).addUUID(actor.impersonator())
      .addString(actor.requestId()).addString(actor.clientAddress());
  }

  private static Future<Optional<FileMeta>> one(Future<RowSet<Row>> rows) {
    return rows.map(set -> set.size() == 0 ? Optional.<FileMeta>empty() : Optional.of(FileMeta.from(set.iterator().next())));
  }

  /** Bytes and files a tenant's committed metadata holds. */
  record Usage(long bytes, long files, java.util.Set<String> committed) {
  }
}

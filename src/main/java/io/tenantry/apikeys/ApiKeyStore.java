package io.tenantry.apikeys;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The one class that knows the SQL of platform.api_keys. */
final class ApiKeyStore {
  private static final String INSERT = "INSERT INTO platform.api_keys "
    + "(id, tenant_id, name, scopes, secret_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
    + "RETURNING " + ApiKeyStore.LISTED;
  private static final String LISTED = "id, name, scopes, created_at, expires_at, last_used_at, revoked_at";
  private static final String FIND =
    "SELECT tenant_id, scopes, secret_hash, created_by, expires_at, revoked_at FROM platform.api_keys WHERE id = $1";
  private static final String LIST = "SELECT " + LISTED + " FROM platform.api_keys "
    + "WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3";
  private static final String REVOKE = "UPDATE platform.api_keys SET revoked_at = coalesce(revoked_at, now()) "
    + "WHERE id = $1 AND tenant_id = $2 RETURNING id";
  private static final String TOUCH = "UPDATE platform.api_keys k SET last_used_at = greatest(k.last_used_at, u.t) "
    + "FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, t) WHERE k.id = u.id";

  /** What verification needs of a key. */
  record Stored(UUID tenantId, Set<String> scopes, byte[] secretHash, UUID createdBy, OffsetDateTime expiresAt,
                OffsetDateTime revokedAt) {
  }

  private final Pool pool;

  ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> insert(UUID id, UUID tenantId, String name, Set<String> scopes, byte[] secretHash,
                            UUID createdBy, OffsetDateTime expiresAt) {
    return pool.preparedQuery(INSERT)
      .execute(Tuple.tuple().addUUID(id).addUUID(tenantId).addString(name)
        .addArrayOfString(scopes.toArray(new String[0])).addBuffer(Buffer.buffer(secretHash)).addUUID(createdBy)
        .addOffsetDateTime(expiresAt))
      .map(rows -> json(rows.iterator().next()));
  }

  Future<Optional<Stored>> find(UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Stored(row.getUUID("tenant_id"), Set.of(row.getArrayOfStrings("scopes")),
        row.getBuffer("secret_hash").getBytes(), row.getUUID("created_by"), row.getOffsetDateTime("expires_at"),
        row.getOffsetDateTime("revoked_at")));
    });
  }

  Future<List<JsonObject>> list(UUID tenantId, UUID after, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.tuple().addUUID(tenantId).addUUID(after).addInteger(limit)).map(ApiKeyStore::all);
  }

  /** @return whether the tenant has such a key (revoking a revoked key changes nothing and succeeds) */
  Future<Boolean> revoke(UUID id, UUID tenantId) {
    return pool.preparedQuery(REVOKE).execute(Tuple.of(id, tenantId)).map(rows -> rows.rowCount() > 0);
  }

  Future<Void> touch(Map<UUID, OffsetDateTime> used) {
    UUID[] ids = used.keySet().toArray(new UUID[0]);
    OffsetDateTime[] times = new OffsetDateTime[ids.length];
    for (int i = 0; i < ids.length; i++) {
      times[i] = used.get(ids[i]);
    }
    return pool.preparedQuery(TOUCH).execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(times)).mapEmpty();
  }

  private static List<JsonObject> all(RowSet<Row> rows) {
    List<JsonObject> keys = new ArrayList<>(rows.size());
    rows.forEach(row -> keys.add(json(row)));
    return keys;
  }

  /** A key as listed: never its secret or hash. */
  private static JsonObject json(Row row) {
    return new JsonObject()
      .put("id", row.getUUID("id").toString())
      .put("name", row.getString("name"))
      .put("scopes", new JsonArray(List.of(row.getArrayOfStrings("scopes"))))
      .put("created_at", text(row.getOffsetDateTime("created_at")))
      .put("expires_at", text(row.getOffsetDateTime("expires_at")))
      .put("last_used_at", text(row.getOffsetDateTime("last_used_at")))
      .put("revoked_at", text(row.getOffsetDateTime("revoked_at")));
  }

  private static String text(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }
}

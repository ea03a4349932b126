package io.tenantry.settings;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one class that knows the SQL of platform.tenant_settings and platform.user_settings. Values travel as JSON
 * text ({@code ::text} both ways), so a JSON string value is never mistaken for a document.
 */
public final class SettingsStore {
  private static final String OF_TENANTS =
    "SELECT tenant_id, key, value::text FROM platform.tenant_settings WHERE tenant_id = ANY($1) ORDER BY key";
  private static final String PUT_TENANT =
    "INSERT INTO platform.tenant_settings (tenant_id, key, value) VALUES ($1, $2, $3::text::jsonb)"
      + " ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()";
  private static final String DELETE_TENANT = "DELETE FROM platform.tenant_settings WHERE tenant_id = $1 AND key = $2";
  private static final String OF_USER =
    "SELECT key, value::text FROM platform.user_settings WHERE tenant_id = $1 AND user_id = $2 ORDER BY key";
  private static final String PUT_USER =
    "INSERT INTO platform.user_settings (tenant_id, user_id, key, value) VALUES ($1, $2, $3, $4::text::jsonb)"
      + " ON CONFLICT (tenant_id, user_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()";
  private static final String DELETE_USER =
    "DELETE FROM platform.user_settings WHERE tenant_id = $1 AND user_id = $2 AND key = $3";

  private final Pool pool;

  public SettingsStore(Pool pool) {
    this.pool = pool;
  }

  /** The values set on each of {@code tenantIds} (a tenant without values maps to an empty map), in one query. */
  public Future<Map<UUID, Map<String, Object>>> ofTenants(List<UUID> tenantIds) {
    return pool.preparedQuery(OF_TENANTS).execute(Tuple.of(tenantIds.toArray(UUID[]::new))).map(rows -> {
      Map<UUID, Map<String, Object>> values = new HashMap<>();
      tenantIds.forEach(id -> values.put(id, new LinkedHashMap<>()));
      for (Row row : rows) {
        values.get(row.getUUID(0)).put(row.getString(1), Json.decodeValue(row.getString(2)));
      }
      return values;
    });
  }

  public Future<Map<String, Object>> ofTenant(UUID tenantId) {
    return ofTenants(List.of(tenantId)).map(values -> values.get(tenantId));
  }

  public Future<Void> put(UUID tenantId, String key, Object value) {
    return pool.preparedQuery(PUT_TENANT).execute(Tuple.of(tenantId, key, Json.encode(value))).mapEmpty();
  }

  public Future<Boolean> delete(UUID tenantId, String key) {
    return pool.preparedQuery(DELETE_TENANT).execute(Tuple.of(tenantId, key)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Map<String, Object>> ofUser(UUID tenantId, UUID userId) {
    return pool.preparedQuery(OF_USER).execute(Tuple.of(tenantId, userId)).map(SettingsStore::keyValues);
  }

  public Future<Void> putUser(UUID tenantId, UUID userId, String key, Object value) {
    return pool.preparedQuery(PUT_USER).execute(Tuple.of(tenantId, userId, key, Json.encode(value))).mapEmpty();
  }

  public Future<Boolean> deleteUser(UUID tenantId, UUID userId, String key) {
    return pool.preparedQuery(DELETE_USER).execute(Tuple.of(tenantId, userId, key)).map(rows -> rows.rowCount() > 0);
  }

  private static Map<String, Object> keyValues(RowSet<Row> rows) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Row row : rows) {
      values.put(row.getString(0), Json.decodeValue(row.getString(1)));
    }
    return values;
  }
}

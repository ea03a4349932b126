package io.tenantry.colschema;

import io.tenantry.data.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of platform.collection_schemas. The table has forced row-level security, so every statement sets its own
 * transaction-local tenant context ({@link TenantDb#CONTEXT}, {@code $1} the tenant id) and names tenant_id. A
 * change bumps the tenant's {@code collection_schemas} number in the same statement: the number every node's
 * cached tenant carries, so a compiled schema cached under an older number is never used again.
 */
final class CollectionSchemaStore {
  private static final String COLUMNS = "collection, schema, version, created_at, updated_at";
  private static final String GET = "SELECT " + COLUMNS + " FROM platform.collection_schemas "
    + "WHERE tenant_id = $1 AND collection = $2 AND " + TenantDb.CONTEXT;
  private static final String LIST = "SELECT " + COLUMNS + " FROM platform.collection_schemas "
    + "WHERE tenant_id = $1 AND " + TenantDb.CONTEXT + " ORDER BY collection LIMIT $2";
  private static final String PUT = "WITH bump AS (UPDATE platform.tenants SET collection_schemas = collection_schemas + 1, "
    + "updated_at = now() WHERE id = $1 RETURNING collection_schemas) "
    + "INSERT INTO platform.collection_schemas (tenant_id, collection, schema, version) "
    + "SELECT $1::uuid, $2::text, $3::jsonb, bump.collection_schemas FROM bump WHERE " + TenantDb.CONTEXT + " "
    + "ON CONFLICT (tenant_id, collection) DO UPDATE SET schema = EXCLUDED.schema, version = EXCLUDED.version, "
    + "updated_at = now() RETURNING " + COLUMNS + ", (xmax = 0) AS created";
  private static final String DELETE = "WITH gone AS (DELETE FROM platform.collection_schemas "
    + "WHERE tenant_id = $1 AND collection = $2 AND " + TenantDb.CONTEXT + " RETURNING collection) "
    + "UPDATE platform.tenants SET collection_schemas = collection_schemas + 1, updated_at = now() "
    + "WHERE id = $1 AND EXISTS (SELECT 1 FROM gone) RETURNING collection_schemas";

  /** A declared schema as stored. */
  record Declared(String collection, JsonObject schema, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    static Declared from(Row row) {
      return new Declared(row.getString("collection"), row.getJsonObject("schema"), row.getLong("version"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }

    JsonObject toJson() {
      return new JsonObject().put("collection", collection).put("schema", schema).put("version", version)
        .put("created_at", createdAt.toString()).put("updated_at", updatedAt.toString());
    }
  }

  private final Pool pool;

  CollectionSchemaStore(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<Declared>> get(UUID tenantId, String collection) {
    return pool.preparedQuery(GET).execute(Tuple.of(tenantId, collection))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Declared.from(rows.iterator().next())));
  }

  Future<List<Declared>> list(UUID tenantId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(tenantId, limit)).map(rows -> {
      List<Declared> out = new ArrayList<>(rows.size());
      rows.forEach(row -> out.add(Declared.from(row)));
      return out;
    });
  }

  /** What a declaration stored, and whether the collection had no schema before. */
  record Saved(Declared declared, boolean created) {
  }

  Future<Saved> put(UUID tenantId, String collection, JsonObject schema) {
    return pool.preparedQuery(PUT).execute(Tuple.of(tenantId, collection, schema))
      .map(rows -> {
        if (rows.size() == 0) {
          throw new IllegalStateException("the tenant row was not found while declaring a schema");
        }
        Row row = rows.iterator().next();
        return new Saved(Declared.from(row), row.getBoolean("created"));
      });
  }

  /** True when there was a schema to delete. */
  Future<Boolean> delete(UUID tenantId, String collection) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(tenantId, collection)).map(rows -> rows.size() > 0);
  }
}

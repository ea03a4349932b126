package io.tenantry.records.indexes;

import io.tenantry.data.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of platform.record_indexes, on the platform pool. Forced row-level security: every statement sets its own
 * transaction-local tenant context ({@link TenantDb#CONTEXT}, $1 the tenant id) and names tenant_id.
 */
final class IndexStore {
  private static final String TABLE = "platform.record_indexes";
  private static final String GET = "SELECT " + IndexDeclaration.COLUMNS + " FROM " + TABLE
    + " WHERE tenant_id = $1 AND collection = $2 AND name = $3 AND " + TenantDb.CONTEXT;
  private static final String LIST = "SELECT " + IndexDeclaration.COLUMNS + " FROM " + TABLE
    + " WHERE tenant_id = $1 AND collection = $2 AND " + TenantDb.CONTEXT + " ORDER BY name";
  private static final String INSERT = "INSERT INTO " + TABLE + " (tenant_id, collection, name, field, index_name, status) "
    + "SELECT $1::uuid, $2::text, $3::text, $4::text, $5::text, 'building' WHERE " + TenantDb.CONTEXT
    + " ON CONFLICT DO NOTHING RETURNING " + IndexDeclaration.COLUMNS;
  private static final String STATUS = "UPDATE " + TABLE + " SET status = $4, error = $5, updated_at = now() "
    + "WHERE tenant_id = $1 AND collection = $2 AND name = $3 AND " + TenantDb.CONTEXT + " RETURNING " + IndexDeclaration.COLUMNS;
  private static final String READY = "UPDATE " + TABLE + " SET status = 'ready', error = NULL, typed = $4, updated_at = now() "
    + "WHERE tenant_id = $1 AND collection = $2 AND name = $3 AND " + TenantDb.CONTEXT + " RETURNING " + IndexDeclaration.COLUMNS;
  private static final String DELETE = "DELETE FROM " + TABLE
    + " WHERE tenant_id = $1 AND collection = $2 AND name = $3 AND status = 'dropping' AND " + TenantDb.CONTEXT;

  private final Pool pool;

  IndexStore(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<IndexDeclaration>> get(UUID tenant, String collection, String name) {
    return pool.preparedQuery(GET).execute(Tuple.of(tenant, collection, name)).map(IndexStore::first);
  }

  Future<List<IndexDeclaration>> list(UUID tenant, String collection) {
    return pool.preparedQuery(LIST).execute(Tuple.of(tenant, collection)).map(rows -> {
      List<IndexDeclaration> all = new ArrayList<>();
      rows.forEach(row -> all.add(IndexDeclaration.from(row)));
      return all;
    });
  }

  /** Empty when the name is taken already (the caller reads what holds it). */
  Future<Optional<IndexDeclaration>> insert(UUID tenant, String collection, String name, String field, String indexName) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(tenant, collection, name, field, indexName)).map(IndexStore::first);
  }

  Future<Optional<IndexDeclaration>> status(UUID tenant, String collection, String name, String status, String error) {
    return pool.preparedQuery(STATUS).execute(Tuple.of(tenant, collection, name, status, error)).map(IndexStore::first);
  }

  /** Built; typed says whether the typed indexes on the field functions exist too (or are not needed). */
  Future<Optional<IndexDeclaration>> ready(UUID tenant, String collection, String name, boolean typed) {
    return pool.preparedQuery(READY).execute(Tuple.of(tenant, collection, name, typed)).map(IndexStore::first);
  }

  Future<Void> deleteDropped(UUID tenant, String collection, String name) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(tenant, collection, name)).mapEmpty();
  }

  private static Optional<IndexDeclaration> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(IndexDeclaration.from(rows.iterator().next()));
  }
}

package io.tenantry.lifecycle;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The lifecycle's SQL on platform.tenants and platform.tenant_purges. Each move re-checks its start state in SQL. */
final class LifecycleStore {
  private static final String ARCHIVE = "UPDATE platform.tenants SET status = 'archived', updated_at = now() "
    + "WHERE id = $1 AND status IN ('active', 'suspended') RETURNING id";
  private static final String DELETE = "UPDATE platform.tenants SET status = 'deleted', status_before_delete = status, "
    + "deleted_at = now(), updated_at = now() WHERE id = $1 AND status IN ('active', 'suspended', 'archived') RETURNING id";
  private static final String RESTORE = "UPDATE platform.tenants SET "
    + "status = CASE WHEN status = 'archived' THEN 'active' ELSE status_before_delete END, "
    + "status_before_delete = NULL, deleted_at = NULL, updated_at = now() "
    + "WHERE id = $1 AND (status = 'archived' OR (status = 'deleted' AND deleted_at > now() - make_interval(secs => $2))) "
    + "RETURNING id";
  private static final String EXPIRED = "SELECT id FROM platform.tenants WHERE status = 'deleted' "
    + "AND deleted_at <= now() - make_interval(secs => $1) ORDER BY deleted_at LIMIT 100";
  private static final String PURGED = "INSERT INTO platform.tenant_purges (tenant_id, slug, isolation, deleted_at, removed) "
    + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO NOTHING";

  private final Pool pool;
  private final int graceSeconds;

  LifecycleStore(Pool pool, int graceSeconds) {
    this.pool = pool;
    this.graceSeconds = graceSeconds;
  }

  Pool pool() {
    return pool;
  }

  Future<Boolean> archive(UUID id) {
    return changed(pool.preparedQuery(ARCHIVE).execute(Tuple.of(id)).map(rows -> rows.rowCount()));
  }

  Future<Boolean> delete(UUID id) {
    return changed(pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount()));
  }

  /** False when the tenant is neither archived nor deleted within the grace period. */
  Future<Boolean> restore(UUID id) {
    return changed(pool.preparedQuery(RESTORE).execute(Tuple.of(id, (double) graceSeconds)).map(rows -> rows.rowCount()));
  }

  Future<List<UUID>> expired() {
    return pool.preparedQuery(EXPIRED).execute(Tuple.of((double) graceSeconds)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      for (Row row : rows) {
        ids.add(row.getUUID("id"));
      }
      return ids;
    });
  }

  Future<Void> recordPurge(UUID id, String slug, String isolation, OffsetDateTime deletedAt, String removed) {
    return pool.preparedQuery(PURGED).execute(Tuple.of(id, slug, isolation, deletedAt, removed)).mapEmpty();
  }

  private static Future<Boolean> changed(Future<Integer> count) {
    return count.map(n -> n > 0);
  }
}

package io.tenantry.export;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The one class that knows the SQL of platform.export_jobs. */
final class ExportJobStore {
  private static final String INSERT = "INSERT INTO platform.export_jobs (id, tenant_id, include_password_hashes, state, node) "
    + "VALUES ($1, $2, $3, 'running', $4) RETURNING " + ExportJob.COLUMNS;
  private static final String BY_ID = "SELECT " + ExportJob.COLUMNS + " FROM platform.export_jobs WHERE id = $1 AND tenant_id = $2";
  private static final String PROGRESS = "UPDATE platform.export_jobs SET parts_done = $2, records = $3 "
    + "WHERE id = $1 AND state = 'running'";
  private static final String DONE = "UPDATE platform.export_jobs SET state = 'done', parts_done = $2, records = $3, "
    + "bytes = $4, sha256 = $5, finished_at = now(), expires_at = now() + make_interval(secs => $6) WHERE id = $1";
  private static final String FAILED = "UPDATE platform.export_jobs SET state = 'failed', error = $2, finished_at = now() "
    + "WHERE id = $1";
  /** A node that starts again finds its own running jobs orphaned: their worker died with the process. */
  private static final String ORPHANED = "UPDATE platform.export_jobs SET state = 'failed', finished_at = now(), "
    + "error = 'interrupted: the node running it stopped; start a new export' WHERE node = $1 AND state = 'running'";
  private static final String EXPIRED = "UPDATE platform.export_jobs SET state = 'expired' "
    + "WHERE node = $1 AND state = 'done' AND expires_at < now() RETURNING id";

  private final Pool pool;

  ExportJobStore(Pool pool) {
    this.pool = pool;
  }

  Future<ExportJob> create(UUID id, UUID tenantId, boolean passwordHashes, String node) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(id, tenantId, passwordHashes, node))
      .map(rows -> ExportJob.from(rows.iterator().next()));
  }

  Future<Optional<ExportJob>> byId(UUID id, UUID tenantId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id, tenantId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(ExportJob.from(rows.iterator().next())));
  }

  Future<Void> progress(UUID id, int parts, long records) {
    return pool.preparedQuery(PROGRESS).execute(Tuple.of(id, parts, records)).mapEmpty();
  }

  Future<Void> done(UUID id, int parts, long records, long bytes, String sha256, int ttlSeconds) {
    return pool.preparedQuery(DONE).execute(Tuple.of(id, parts, records, bytes, sha256, ttlSeconds)).mapEmpty();
  }

  Future<Void> failed(UUID id, String error) {
    return pool.preparedQuery(FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }

  Future<Void> orphaned(String node) {
    return pool.preparedQuery(ORPHANED).execute(Tuple.of(node)).mapEmpty();
  }

  Future<List<UUID>> expire(String node) {
    return pool.preparedQuery(EXPIRED).execute(Tuple.of(node)).map(ExportJobStore::ids);
  }

  private static List<UUID> ids(RowSet<Row> rows) {
    List<UUID> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.getUUID(0)));
    return ids;
  }
}

package io.tenantry.relocation;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/** platform.relocation_jobs: the one class that knows its SQL. */
final class RelocationStore {
  private static final String INSERT = "INSERT INTO platform.relocation_jobs (id, tenant_id, node, from_tier, from_host, "
    + "from_port, from_name, to_tier, to_host, to_port, to_name, phase) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
    + "$11, 'copying') RETURNING " + RelocationJob.COLUMNS;
  private static final String BY_ID = "SELECT " + RelocationJob.COLUMNS + " FROM platform.relocation_jobs WHERE id = $1 "
    + "AND tenant_id = $2";
  private static final String PHASE = "UPDATE platform.relocation_jobs SET phase = $2, rows_copied = $3, "
    + "rows_caught_up = $4 WHERE id = $1";
  private static final String SWITCHED = "UPDATE platform.relocation_jobs SET phase = 'switched', pause_ms = $2, "
    + "switched_at = now() WHERE id = $1";
  private static final String FINISHED = "UPDATE platform.relocation_jobs SET phase = $2, error = $3, pause_ms = "
    + "COALESCE($4, pause_ms), finished_at = now() WHERE id = $1";
  private static final String CANCEL = "UPDATE platform.relocation_jobs SET cancel = true WHERE id = $1 AND tenant_id = $2 "
    + "RETURNING " + RelocationJob.COLUMNS;
  private static final String CANCELLED = "SELECT cancel FROM platform.relocation_jobs WHERE id = $1";
  private static final String ORPHANED = "UPDATE platform.relocation_jobs SET phase = 'failed', finished_at = now(), "
    + "error = 'the node running the move stopped; the tenant stays where it was' WHERE node = $1 "
    + "AND phase IN ('copying', 'catching_up', 'paused') RETURNING " + RelocationJob.COLUMNS;
  private static final String UNFINISHED_SWITCHED = "SELECT " + RelocationJob.COLUMNS + " FROM platform.relocation_jobs "
    + "WHERE node = $1 AND phase = 'switched'";

  private final Pool pool;

  RelocationStore(Pool pool) {
    this.pool = pool;
  }

  Future<RelocationJob> create(UUID id, UUID tenantId, String node, Placement from, Placement to) {
    return pool.preparedQuery(INSERT).execute(Tuple.tuple().addUUID(id).addUUID(tenantId).addString(node)
        .addString(from.tier().sql()).addString(host(from)).addValue(port(from)).addString(name(from))
        .addString(to.tier().sql()).addString(host(to)).addValue(port(to)).addString(name(to)))
      .map(rows -> RelocationJob.from(rows.iterator().next()))
      .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Problem.conflict("a move of this tenant is already in progress; GET its progress or cancel it") : e));
  }

  Future<Optional<RelocationJob>> byId(UUID id, UUID tenantId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id, tenantId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(RelocationJob.from(rows.iterator().next())));
  }

  Future<Void> phase(UUID id, String phase, long copied, long caughtUp) {
    return pool.preparedQuery(PHASE).execute(Tuple.of(id, phase, copied, caughtUp)).mapEmpty();
  }

  Future<Void> switched(UUID id, int pauseMs) {
    return pool.preparedQuery(SWITCHED).execute(Tuple.of(id, pauseMs)).mapEmpty();
  }

  Future<Void> finished(UUID id, String phase, String error, Integer pauseMs) {
    return pool.preparedQuery(FINISHED).execute(Tuple.of(id, phase, error, pauseMs)).mapEmpty();
  }

  Future<Optional<RelocationJob>> cancel(UUID id, UUID tenantId) {
    return pool.preparedQuery(CANCEL).execute(Tuple.of(id, tenantId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(RelocationJob.from(rows.iterator().next())));
  }

  Future<Boolean> cancelRequested(UUID id) {
    return pool.preparedQuery(CANCELLED).execute(Tuple.of(id)).map(rows -> {
      Row row = rows.size() == 0 ? null : rows.iterator().next();
      return row != null && row.getBoolean(0);
    });
  }

  Future<java.util.List<RelocationJob>> orphaned(String node) {
    return pool.preparedQuery(ORPHANED).execute(Tuple.of(node)).map(RelocationStore::jobs);
  }

  Future<java.util.List<RelocationJob>> switchedNotCleaned(String node) {
    return pool.preparedQuery(UNFINISHED_SWITCHED).execute(Tuple.of(node)).map(RelocationStore::jobs);
  }

  private static java.util.List<RelocationJob> jobs(io.vertx.sqlclient.RowSet<Row> rows) {
    java.util.List<RelocationJob> out = new java.util.ArrayList<>();
    rows.forEach(r -> out.add(RelocationJob.from(r)));
    return out;
  }

  private static String host(Placement p) {
    return p.database() == null ? null : p.database().host();
  }

  private static Integer port(Placement p) {
    return p.database() == null ? null : p.database().port();
  }

  private static String name(Placement p) {
    return p.database() == null ? null : p.database().database();
  }
}

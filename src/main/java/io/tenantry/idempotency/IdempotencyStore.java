package io.tenantry.idempotency;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/** The SQL of platform.idempotency_keys. */
final class IdempotencyStore {
  /**
   * Takes the key unless a live row holds it; an expired row is taken over as if new, and so is a row left "in
   * progress" for longer than any request runs ({@link #ABANDONED_SECONDS}): its request ended while the database
   * was unreachable, so the row could not be completed or released, and a retry must not be told "in progress"
   * until the TTL.
   */
  private static final String TAKE = "INSERT INTO platform.idempotency_keys (caller, key, request_hash) "
    + "VALUES ($1, $2, $3) ON CONFLICT (caller, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, "
    + "status = NULL, location = NULL, body = NULL, created_at = now() "
    + "WHERE platform.idempotency_keys.created_at < now() - make_interval(secs => $4) "
    + "OR (platform.idempotency_keys.status IS NULL AND platform.idempotency_keys.created_at < now() - make_interval(secs => $5)) "
    + "RETURNING key";
  static final int ABANDONED_SECONDS = 60;
  private static final String FIND =
    "SELECT request_hash, status, location, body FROM platform.idempotency_keys WHERE caller = $1 AND key = $2";
  private static final String COMPLETE = "UPDATE platform.idempotency_keys SET status = $3, location = $4, body = $5 "
    + "WHERE caller = $1 AND key = $2";
  private static final String FORGET = "DELETE FROM platform.idempotency_keys WHERE caller = $1 AND key = $2";
  private static final String PURGE =
    "DELETE FROM platform.idempotency_keys WHERE created_at < now() - make_interval(secs => $1)";

  /** What an earlier use of the key left: its body's hash and, once complete, its answer. */
  record Earlier(String requestHash, Integer status, String location, String body) {
  }

  private final Pool pool;
  private final int ttlSeconds;

  IdempotencyStore(Pool pool, int ttlSeconds) {
    this.pool = pool;
    this.ttlSeconds = ttlSeconds;
  }

  Future<Boolean> take(UUID caller, String key, String requestHash) {
    return pool.preparedQuery(TAKE).execute(Tuple.of(caller, key, requestHash, (double) ttlSeconds, (double) ABANDONED_SECONDS))
      .map(rows -> rows.rowCount() == 1);
  }

  Future<Optional<Earlier>> find(UUID caller, String key) {
    return pool.preparedQuery(FIND).execute(Tuple.of(caller, key)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Earlier(row.getString("request_hash"), row.getInteger("status"),
        row.getString("location"), row.getString("body")));
    });
  }

  Future<Void> complete(UUID caller, String key, int status, String location, String body) {
    return pool.preparedQuery(COMPLETE).execute(Tuple.of(caller, key, status, location, body)).mapEmpty();
  }

  Future<Void> forget(UUID caller, String key) {
    return pool.preparedQuery(FORGET).execute(Tuple.of(caller, key)).mapEmpty();
  }

  Future<Void> purge() {
    return pool.preparedQuery(PURGE).execute(Tuple.of((double) ttlSeconds)).mapEmpty();
  }
}

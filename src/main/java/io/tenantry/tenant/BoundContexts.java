package io.tenantry.tenant;

import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tenant's context each physical PostgreSQL connection holds at session level, so that a connection that
 * serves the same tenant again needs no context statement. A physical connection is named by its backend's process
 * id and cancel key (PostgreSQL's BackendKeyData: the key is random per backend, so a reused process id does not
 * match). A pooled connection is held by one request at a time, so each entry has one writer at a time.
 *
 * <p>Forgetting is always safe — the next request on that connection sets its context again — so every failure
 * forgets, and the table is cleared rather than grown past {@code capacity} (entries of connections that were
 * closed are never looked up again).
 */
final class BoundContexts {
  private final ConcurrentHashMap<Long, UUID> byConnection = new ConcurrentHashMap<>();
  private final int capacity;

  BoundContexts(int capacity) {
    this.capacity = capacity;
  }

  boolean holds(SqlConnection conn, UUID tenantId) {
    return tenantId.equals(byConnection.get(key(conn)));
  }

  void bound(SqlConnection conn, UUID tenantId) {
    if (byConnection.size() >= capacity) {
      byConnection.clear();
    }
    byConnection.put(key(conn), tenantId);
  }

  void forget(SqlConnection conn) {
    byConnection.remove(key(conn));
  }

  int size() {
    return byConnection.size();
  }

  private static long key(SqlConnection conn) {
    PgConnection pg = (PgConnection) conn;
    return ((long) pg.processId() << 32) | (pg.secretKey() & 0xFFFF_FFFFL);
  }
}

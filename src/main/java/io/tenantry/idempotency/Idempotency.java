package io.tenantry.idempotency;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Wiring: the Idempotency-Key guard of tenant creation, after deleting keys that outlived their TTL. */
public final class Idempotency {
  private Idempotency() {
  }

  public static Future<IdempotentCreation> start(Pool pool, int ttlSeconds) {
    IdempotencyStore store = new IdempotencyStore(pool, ttlSeconds);
    return store.purge().map(v -> new IdempotentCreation(store));
  }
}

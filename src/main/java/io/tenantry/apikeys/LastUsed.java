package io.tenantry.apikeys;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records when keys were used, off the request path: a use marks the key (a map write, at most once per key per
 * {@link #EVERY_MS} on this node) and a timer writes all marked keys in one statement every {@link #FLUSH_MS}.
 * A lost flush loses a last_used_at, never a request.
 */
final class LastUsed {
  static final long EVERY_MS = 60_000;
  static final long FLUSH_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(LastUsed.class);

  private final ApiKeyStore store;
  private final Map<UUID, Long> recorded = new ConcurrentHashMap<>();
  private final Map<UUID, Long> pending = new ConcurrentHashMap<>();
  private Vertx vertx;
  private long timer = -1;

  LastUsed(ApiKeyStore store) {
    this.store = store;
  }

  void start(Vertx vertx) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(FLUSH_MS, id -> flush());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  void used(UUID id, long nowMillis) {
    Long last = recorded.get(id);
    if (last == null || nowMillis - last >= EVERY_MS) {
      recorded.put(id, nowMillis);
      pending.put(id, nowMillis);
    }
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<UUID, OffsetDateTime> batch = new HashMap<>();
    for (UUID id : pending.keySet()) {
      Long at = pending.remove(id);
      if (at != null) {
        batch.put(id, OffsetDateTime.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.UTC));
      }
    }
    long now = System.currentTimeMillis();
    recorded.values().removeIf(at -> now - at >= EVERY_MS); // bounded by the keys used in the last minute
    store.touch(batch).onFailure(e -> LOG.warn("could not record the last use of {} API keys: {}", batch.size(), e.getMessage()));
  }
}

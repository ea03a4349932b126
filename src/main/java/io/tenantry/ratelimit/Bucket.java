package io.tenantry.ratelimit;

import java.util.UUID;

/**
 * One budget: a Redis key, the cost of one request in µs ({@code interval} = 1 s / rate) and the burst. GCRA
 * works in whole microseconds so that Java and Lua compute exactly the same numbers; a full bucket
 * ({@link #capacity()}) is {@code burst} requests' worth.
 */
public record Bucket(String key, long interval, int burst) {
  static final long MICROS_PER_SECOND = 1_000_000L;

  public static Bucket of(String key, int rate, int burst) {
    return new Bucket(key, MICROS_PER_SECOND / rate, burst);
  }

  public long capacity() {
    return burst * interval;
  }

  /**
   * This node's share of the budget when {@code nodes} nodes enforce it without Redis: rate / nodes exactly,
   * burst / nodes rounded down but at least 1.
   */
  public Bucket share(int nodes) {
    return nodes <= 1 ? this : new Bucket(key, interval * nodes, Math.max(1, burst / nodes));
  }

  /** Tenant keys carry the {t:<id>} hash tag, so all of a tenant's keys live in one Redis Cluster slot. */
  public static String tenantKey(String prefix, UUID tenantId) {
    return prefix + "{t:" + tenantId + "}:rl";
  }

  public static String userKey(String prefix, UUID tenantId, UUID userId) {
    return tenantKey(prefix, tenantId) + ":u:" + userId;
  }
}

package io.tenantry.tenant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tenant ids and slugs that were looked up and not found, kept for a few seconds so that a client repeating one
 * does not cost a query each time. Bounded: when full it starts afresh rather than grow, so random names cost at
 * most one query each and a fixed amount of memory. Short-lived because a tenant created on another node is only
 * announced by id and slug to caches that heard the notice.
 */
final class UnknownTenants {
  static final int DEFAULT_MAX = 10_000;
  static final long DEFAULT_TTL_MS = 5_000;

  private final int max;
  private final long ttlNanos;
  private final Map<Object, Long> expiresAt = new ConcurrentHashMap<>();

  UnknownTenants(int max, long ttlMillis) {
    this.max = max;
    this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
  }

  boolean contains(Object key, long nowNanos) {
    Long until = expiresAt.get(key);
    if (until == null) {
      return false;
    }
    if (until - nowNanos > 0) {
      return true;
    }
    expiresAt.remove(key, until);
    return false;
  }

  void remember(Object key, long nowNanos) {
    if (expiresAt.size() >= max) {
      expiresAt.clear();
    }
    expiresAt.put(key, nowNanos + ttlNanos);
  }

  void forget(Object key) {
    expiresAt.remove(key);
  }

  void clear() {
    expiresAt.clear();
  }

  int size() {
    return expiresAt.size();
  }
}

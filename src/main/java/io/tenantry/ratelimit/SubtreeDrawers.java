package io.tenantry.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many tenants' budgets on this node lease from each subtree budget or branch cap. Each holds a lease of its own
 * on the shared bucket, so each leases only its part of what one node may hold: together they keep within a quarter
 * of the burst, as one tenant's leases do, however many tenants of the subtree are active.
 */
final class SubtreeDrawers {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  void add(TenantBudget budget) {
    for (Bucket bucket : budget.sharedBuckets()) {
      counts.computeIfAbsent(bucket.key(), k -> new AtomicInteger()).incrementAndGet();
    }
  }

  void remove(TenantBudget budget) {
    for (Bucket bucket : budget.sharedBuckets()) {
      counts.computeIfPresent(bucket.key(), (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  /** At least 1. */
  int of(Bucket bucket) {
    AtomicInteger count = counts.get(bucket.key());
    return count == null ? 1 : Math.max(1, count.get());
  }
}

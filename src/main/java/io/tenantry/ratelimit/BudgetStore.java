package io.tenantry.ratelimit;

import io.vertx.core.Future;

import java.util.List;

/** Where the global budgets live (Redis in production; an in-memory twin in tests). */
public interface BudgetStore {
  /**
   * Leases from each bucket atomically: either every bucket grants at least its {@code need}, or none grants
   * anything and the one that refused says how long to wait. One grant per ask, in order.
   */
  Future<List<Grant>> lease(List<Ask> asks);

  /** Returns {@code count} unspent requests to a bucket. */
  Future<Void> giveBack(Bucket bucket, int count);
}

package io.tenantry.ratelimit;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The global budgets in memory, on a fake clock: the semantics of lease.lua with the Java {@link Gcra}. */
final class MemoryBudgetStore implements BudgetStore {
  private final FakeClock clock;
  private final Map<String, Gcra> buckets = new HashMap<>();
  int calls;
  boolean down;

  MemoryBudgetStore(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<List<Grant>> lease(List<Ask> asks) {
    calls++;
    if (down) {
      return Future.failedFuture(new IllegalStateException("Redis is down"));
    }
    long now = clock.micros();
    for (Ask ask : asks) {
      Gcra gcra = bucket(ask.bucket());
      // Probe without taking: free enough for `need`?
      long free = Math.floorDiv(ask.bucket().capacity() - gcra.offset(now), ask.bucket().interval());
      if (free < ask.need()) {
        List<Grant> refused = new ArrayList<>();
        for (Ask other : asks) {
          long offset = bucket(other.bucket()).offset(now);
          long wait = other == ask ? offset + other.need() * other.bucket().interval() - other.bucket().capacity() : 0;
          refused.add(new Grant(0, offset, wait));
        }
        return Future.succeededFuture(refused);
      }
    }
    List<Grant> grants = new ArrayList<>();
    for (Ask ask : asks) {
      grants.add(bucket(ask.bucket()).take(now, ask.want(), ask.need()));
    }
    return Future.succeededFuture(grants);
  }

  @Override
  public synchronized Future<Void> giveBack(Bucket bucket, int count) {
    calls++;
    bucket(bucket).giveBack(clock.micros(), count);
    return Future.succeededFuture();
  }

  /** The keys of every bucket leased from so far. */
  synchronized java.util.Set<String> keys() {
    return java.util.Set.copyOf(buckets.keySet());
  }

  synchronized long offset(Bucket bucket) {
    return bucket(bucket).offset(clock.micros());
  }

  private Gcra bucket(Bucket bucket) {
    return buckets.computeIfAbsent(bucket.key(), k -> new Gcra(bucket));
  }
}

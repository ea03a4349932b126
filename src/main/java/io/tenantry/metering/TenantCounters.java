package io.tenantry.metering;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant's counters on this node, created once and kept (interned per tenant id): counting is a striped
 * {@link LongAdder} increment, with no allocation; the users seen since the last flush are a concurrent set.
 */
final class TenantCounters {
  final UUID tenantId;
  private final LongAdder[] counters = new LongAdder[Meter.COUNTERS];
  private final Set<UUID> users = ConcurrentHashMap.newKeySet();
  /** Consecutive drains that found nothing; only the draining thread (UsageMeter.drain, synchronized) touches it. */
  int idleDrains;
  /** Left the meter's map: a request that outlived it counts on the tenant's current counters instead. */
  volatile boolean dropped;

  TenantCounters(UUID tenantId) {
    this.tenantId = tenantId;
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new LongAdder();
    }
  }

  void add(Meter meter, long n) {
    counters[meter.ordinal()].add(n);
  }

  /**
   * Most requests come from a user already seen in this window: a lock-free read finds it, where an add would take
   * the bin's lock every time (ConcurrentHashMap locks before it compares keys). A user taken by a drain between the
   * two was seen in the window that drain closes.
   */
  void user(UUID userId) {
    if (!users.contains(userId)) {
      users.add(userId);
    }
  }

  /**
   * The count since the last take. Subtracting what was read (rather than {@link LongAdder#sumThenReset}, which can
   * lose an increment racing the reset) leaves an increment made meanwhile for the next take: never lost, never twice.
   */
  long take(Meter meter) {
    LongAdder adder = counters[meter.ordinal()];
    long sum = adder.sum();
    adder.add(-sum);
    return sum;
  }

  /** The users seen since the last take; one seen again meanwhile stays for the next take. */
  List<UUID> takeUsers() {
    if (users.isEmpty()) {
      return List.of();
    }
    List<UUID> taken = new ArrayList<>(users);
    taken.forEach(users::remove);
    return taken;
  }
}

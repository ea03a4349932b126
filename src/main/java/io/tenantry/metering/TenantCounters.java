package io.tenantry.metering;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant's counters on this node, created once and kept (interned per tenant id): counting is a striped
 * {@link LongAdder} increment, with no allocation; the users seen since the last flush are a concurrent set, in front
 * of which a few slots remember the users noted in the current window.
 */
final class TenantCounters {
  /** Slots of recently noted users: a power of two, small (a tenant's memory counts at 10,000 tenants). */
  static final int RECENT_SLOTS = 8;

  final UUID tenantId;
  private final LongAdder[] counters = new LongAdder[Meter.COUNTERS];
  /** Sized for the few users most tenants have in one flush interval (a table of 16 would cost each tenant ~70 bytes more). */
  private final Set<UUID> users = ConcurrentHashMap.newKeySet(2);
  /**
   * A user noted in window {@code window}: its request found the window first, then added the user, so the add landed
   * after the take that closed the previous window — the user is in the set the next take collects. Immutable, so a
   * slot read by another thread is whole (its fields are final); slots are written without ordering: a lost or stale
   * slot only sends a request to the set again.
   */
  private record Seen(UUID user, long window) {
  }

  private final Seen[] recent = new Seen[RECENT_SLOTS];
  /** Bumped by each take of the users, after the take. */
  private volatile long window;
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
   * Notes the user for this window. Most requests come from a user noted already, with the very UUID its cached token
   * holds: its slot says so without a hash lookup. Otherwise the set: a lock-free read first, since an add takes the
   * bin's lock before it compares keys (ConcurrentHashMap).
   */
  void user(UUID userId) {
    long current = window;
    int slot = userId.hashCode() & (RECENT_SLOTS - 1);
    Seen seen = recent[slot];
    if (seen != null && seen.window == current && (seen.user == userId || seen.user.equals(userId))) {
      return;
    }
    if (!users.contains(userId)) {
      users.add(userId);
    }
    recent[slot] = new Seen(userId, current);
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

  /**
   * The users seen since the last take; one seen again meanwhile stays for the next take. Only the draining thread
   * calls it (UsageMeter.drain is synchronized). The window moves on after the take, so the slots of this window stop
   * vouching for users that are no longer in the set.
   */
  List<UUID> takeUsers() {
    List<UUID> taken = users.isEmpty() ? List.of() : new ArrayList<>(users);
    taken.forEach(users::remove);
    window = window + 1; // one writer, the draining thread: no lost update
    return taken;
  }
}

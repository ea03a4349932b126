package io.tenantry.metering;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant's counters on this node, created once and kept (interned per tenant id): counting is an atomic add to
 * the calling thread's stripe of one array, with no allocation; the users seen since the last flush are a concurrent
 * set, in front of which the last user noted and a few slots remember the users noted in the current window. Few
 * objects on purpose: a request touches this tenant's state once in a while (the other tenants' requests in between
 * push it out of the CPU's caches), so each object it dereferences is a cache miss.
 */
final class TenantCounters {
  /** Slots of recently noted users: a power of two, small (a tenant's memory counts at 10,000 tenants). */
  static final int RECENT_SLOTS = 8;
  /** Longs per stripe: a cache line, so that two event loops counting the same tenant do not share one. */
  private static final int STRIDE = 8;
  /** The smallest power of two not below the CPUs (the event loops), at most 4 (a tenant's memory, again). */
  static final int STRIPES = Math.min(4, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1));
  private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

  final UUID tenantId;
  /** Stripe s holds meter m at {@code s * STRIDE + m.ordinal()}. */
  private final long[] cells = new long[STRIPES * STRIDE];
  /** Sized for the few users most tenants have in one flush interval (a table of 16 would cost each tenant ~70 bytes more). */
  private final Set<UUID> users = ConcurrentHashMap.newKeySet(2);
  /**
   * A user noted in window {@code window}: its request found the window first, then added the user, so the add landed
   * after the take that closed the previous window — the user is in the set the next take collects. Immutable, so a
   * slot (or {@link #last}) read by another thread is whole (its fields are final); they are written without ordering:
   * a lost or stale one only sends a request to the set again.
   */
  private record Seen(UUID user, long window) {
  }

  /** The last user noted: most tenants' consecutive requests are one user's, found here without the slots' array. */
  private Seen last;
  private final Seen[] recent = new Seen[RECENT_SLOTS];
  /** Bumped by each take of the users, after the take. */
  private volatile long window;
  /** Consecutive drains that found nothing; only the draining thread (UsageMeter.drain, synchronized) touches it. */
  int idleDrains;
  /** Left the meter's map: a request that outlived it counts on the tenant's current counters instead. */
  volatile boolean dropped;

  TenantCounters(UUID tenantId) {
    this.tenantId = tenantId;
  }

  /** Threads keep their stripe (an event loop is one thread), so an increment seldom meets another on its line. */
  void add(Meter meter, long n) {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    CELL.getAndAdd(cells, stripe * STRIDE + meter.ordinal(), n);
  }

  /**
   * Notes the user for this window. Most requests come from a user noted already, with the very UUID its cached token
   * holds: the last user noted or its slot says so without a hash lookup. Otherwise the set: a lock-free read first,
   * since an add takes the bin's lock before it compares keys (ConcurrentHashMap).
   */
  void user(UUID userId) {
    long current = window;
    if (noted(last, userId, current)) {
      return;
    }
    int slot = userId.hashCode() & (RECENT_SLOTS - 1);
    Seen seen = recent[slot];
    if (!noted(seen, userId, current)) {
      if (!users.contains(userId)) {
        users.add(userId);
      }
      seen = new Seen(userId, current);
      recent[slot] = seen;
    }
    last = seen;
  }

  private static boolean noted(Seen seen, UUID userId, long current) {
    return seen != null && seen.window == current && (seen.user == userId || seen.user.equals(userId));
  }

  /**
   * The count since the last take: each stripe's cell read and zeroed in one atomic step, so an increment racing the
   * take lands either in this count or in the next one — never lost, never twice.
   */
  long take(Meter meter) {
    long sum = 0;
    for (int stripe = 0; stripe < STRIPES; stripe++) {
      sum += (long) CELL.getAndSet(cells, stripe * STRIDE + meter.ordinal(), 0L);
    }
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

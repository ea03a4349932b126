package io.tenantry.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code max} requests of one tenant at once on a shared pool. Excess requests wait in a per-tenant
 * queue for at most {@code timeoutMs}, then fail with 503 + Retry-After, while other tenants keep being served:
 * one noisy tenant cannot hold every connection. Thread-safe; waiters resume on their own event loop.
 */
public final class ConcurrencyCaps {
  private final Vertx vertx;
  private final int max;
  private final long timeoutMs;
  private final Map<UUID, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();

  /** Releases a taken place; idempotent. */
  public interface Permit {
    void release();
  }

  private static final class Slot {
    int running;
    final Deque<Waiter> queue = new ArrayDeque<>();
  }

  private record Waiter(Promise<Permit> promise, Context context, long[] timer) {
  }

  /**
   * Whether a cap of {@code max} keeps its promise on pools split per event loop: a request can only use its own
   * loop's connections, so a tenant allowed as many requests as the smallest loop pool holds could take all of it
   * and stall every other tenant on that loop.
   */
  public static boolean leavesRoomOnEveryLoop(int max, int smallestLoopShare) {
    return max < smallestLoopShare;
  }

  public ConcurrencyCaps(Vertx vertx, int max, long timeoutMs) {
    this.vertx = vertx;
    this.max = max;
    this.timeoutMs = timeoutMs;
  }

  public Future<Permit> acquire(UUID tenant) {
    Slot slot = slots.computeIfAbsent(tenant, id -> new Slot());
    Waiter waiter;
    synchronized (slot) {
      if (slot.running < max) {
        slot.running++;
        return Future.succeededFuture(permit(slot));
      }
      if (timeoutMs == 0) {
        rejected.incrementAndGet();
        return Future.failedFuture(busy());
      }
      Context context = vertx.getOrCreateContext();
      waiter = new Waiter(Promise.promise(), context, new long[1]);
      slot.queue.addLast(waiter);
      waiting.incrementAndGet();
      queued.incrementAndGet();
      // Under the lock, so that a release handing this waiter a place cancels this timer and not the id 0 of an
      // unrelated one; expire, which also takes the lock, cannot run before this block ends.
      waiter.timer()[0] = vertx.setTimer(timeoutMs, id -> expire(slot, waiter));
    }
    return waiter.promise().future();
  }

  public int waiting() {
    return waiting.get();
  }

  public long rejected() {
    return rejected.get();
  }

  /** Requests that had to wait for a place, since start (those refused after waiting included). */
  public long queued() {
    return queued.get();
  }

  /** Requests of all tenants running under the cap right now. */
  public int running() {
    int sum = 0;
    for (Slot slot : slots.values()) {
      synchronized (slot) {
        sum += slot.running;
      }
    }
    return sum;
  }

  private Permit permit(Slot slot) {
    boolean[] released = new boolean[1];
    return () -> {
      synchronized (slot) {
        if (released[0]) {
          return;
        }
        released[0] = true;
        Waiter next = slot.queue.pollFirst();
        if (next == null) {
          slot.running--;
          return;
        }
        waiting.decrementAndGet();
        vertx.cancelTimer(next.timer()[0]);
        // The place passes straight to the next waiter: running stays the same.
        next.context().runOnContext(v -> next.promise().complete(permit(slot)));
      }
    };
  }

  private void expire(Slot slot, Waiter waiter) {
    synchronized (slot) {
      if (!slot.queue.remove(waiter)) {
        return; // already given a place
      }
    }
    waiting.decrementAndGet();
    rejected.incrementAndGet();
    waiter.promise().fail(busy());
  }

  private static PoolBusy busy() {
    return new PoolBusy("this tenant has too many requests in progress; retry shortly", 1);
  }
}

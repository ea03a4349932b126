package io.tenantry.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntBinaryOperator;

/**
 * At most {@code max} requests of one tenant at once on a shared pool. Excess requests wait in a per-tenant
 * queue for at most {@code timeoutMs}, then fail with 503 + Retry-After, while other tenants keep being served:
 * one noisy tenant cannot hold every connection. Thread-safe; waiters resume on their own event loop.
 *
 * <p>A place under the cap is one compare-and-set on the tenant's counter, with no lock and no allocation: the
 * permit is the tenant's slot itself and the granted future is made once per slot. Only a full slot takes its lock
 * to queue a waiter. A release and a queueing that race cannot both miss each other: the releaser decrements the
 * counter before it reads the waiter count, the waiter increments the waiter count before it retries the counter
 * (both sequentially consistent), so one of them sees the other and the place is handed over.
 *
 * <p>The slots do not outlive their use: {@link #sweepIdle()} retires every slot with nothing running and nothing
 * waiting (deleted, archived or quiet tenants alike), so the map holds the tenants with requests in flight, not
 * every tenant ever served. A retired slot is never used again: an acquire that meets one takes a fresh slot.
 */
public final class ConcurrencyCaps {
  /** How often {@link #started} sweeps idle slots. */
  public static final long SWEEP_MS = 30_000;
  /** The counter of a slot that has left the map: below zero, so no compare-and-set can take a place in it. */
  private static final int RETIRED = Integer.MIN_VALUE;
  /** A running count plus one, unless the slot is retired or at the cap {@code max}; allocates nothing. */
  private static final IntBinaryOperator TAKE_ONE = (now, max) -> now < 0 || now >= max ? now : now + 1;
  /** The slot's counters as plain volatile fields, updated atomically: no AtomicInteger objects per tenant. */
  private static final AtomicIntegerFieldUpdater<Slot> RUNNING =
    AtomicIntegerFieldUpdater.newUpdater(Slot.class, "running");
  private static final AtomicIntegerFieldUpdater<Slot> WAITERS =
    AtomicIntegerFieldUpdater.newUpdater(Slot.class, "waiters");

  private final Vertx vertx;
  private final int max;
  private final long timeoutMs;
  private final Map<UUID, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();

  /** Releases a taken place. Call it exactly once per granted permit. */
  public interface Permit {
    void release();
  }

  private static final class Waiter {
    final Promise<Permit> promise = Promise.promise();
    final Context context;
    /** Set under the slot's lock before any release can hand this waiter a place (and cancel this timer). */
    long timer;

    Waiter(Context context) {
      this.context = context;
    }
  }

  /** One tenant's places. It is its own permit: releasing gives one place back. */
  final class Slot implements Permit {
    /** Through {@link #RUNNING} only, but for plain reads. */
    volatile int running;
    /** Through {@link #WAITERS} only, but for plain reads. */
    volatile int waiters;
    final Future<Permit> granted = Future.succeededFuture(this);
    /** Guarded by this slot's lock; made when the first waiter comes. */
    ArrayDeque<Waiter> queue;

    /** One place if the cap allows and the slot is live: the JDK's compare-and-set loop, with no lock. */
    boolean tryTake() {
      int before = RUNNING.getAndAccumulate(this, max, TAKE_ONE);
      return before >= 0 && before < max;
    }

    @Override
    public void release() {
      RUNNING.decrementAndGet(this);
      if (waiters > 0) {
        handOver();
      }
    }

    /** Null when the slot is retired (the caller takes a fresh one). */
    synchronized Future<Permit> queueOrTake() {
      if (running < 0) {
        return null;
      }
      if (waiters == 0 && tryTake()) {
        return granted;
      }
      if (timeoutMs == 0) {
        rejected.incrementAndGet();
        return Future.failedFuture(busy());
      }
      Waiter waiter = new Waiter(vertx.getOrCreateContext());
      if (queue == null) {
        queue = new ArrayDeque<>(4);
      }
      queue.addLast(waiter);
      WAITERS.incrementAndGet(this);
      waiting.incrementAndGet();
      queued.incrementAndGet();
      waiter.timer = vertx.setTimer(timeoutMs, id -> expire(waiter));
      handOver(); // a place released between the check above and the waiter count's increment
      return waiter.promise.future();
    }

    /**
     * Gives free places to the waiters, oldest first. Only called once a waiter was counted, and the queue is made
     * before the first count (under this lock), so it exists here.
     */
    synchronized void handOver() {
      while (!queue.isEmpty() && tryTake()) {
        Waiter next = queue.pollFirst();
        WAITERS.decrementAndGet(this);
        waiting.decrementAndGet();
        vertx.cancelTimer(next.timer);
        next.context.runOnContext(v -> next.promise.complete(this));
      }
    }

    void expire(Waiter waiter) {
      synchronized (this) {
        // The waiter's timer is set after it was queued, so the queue exists.
        if (!queue.remove(waiter)) {
          return; // already given a place: its timer fired before the hand-over cancelled it
        }
        WAITERS.decrementAndGet(this);
      }
      waiting.decrementAndGet();
      rejected.incrementAndGet();
      waiter.promise.fail(busy());
    }

    /** Retires the slot when nothing runs or waits in it; true when retired. */
    synchronized boolean retireIfIdle() {
      return waiters == 0 && RUNNING.compareAndSet(this, 0, RETIRED);
    }
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

  /** Caps whose idle slots are swept every {@link #SWEEP_MS}. */
  public static ConcurrencyCaps started(Vertx vertx, int max, long timeoutMs) {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, max, timeoutMs);
    vertx.setPeriodic(SWEEP_MS, id -> caps.sweepIdle());
    return caps;
  }

  public Future<Permit> acquire(UUID tenant) {
    return acquire(tenant, slotOf(tenant));
  }

  /**
   * A place in {@code slot}, as read from the map: a sweep may have retired it since, and then the tenant's fresh
   * slot is used instead.
   */
  Future<Permit> acquire(UUID tenant, Slot slot) {
    for (;;) {
      if (slot.waiters == 0 && slot.tryTake()) {
        return slot.granted;
      }
      Future<Permit> queuedOrTaken = slot.queueOrTake();
      if (queuedOrTaken != null) {
        return queuedOrTaken;
      }
      slots.remove(tenant, slot); // retired by a sweep: normally gone already
      slot = slotOf(tenant);
    }
  }

  /** The tenant's slot, made if needed (a plain read first: a hit allocates nothing). */
  Slot slotOf(UUID tenant) {
    Slot slot = slots.get(tenant);
    return slot != null ? slot : slots.computeIfAbsent(tenant, id -> new Slot());
  }

  /** Forgets the slots with nothing running or waiting. Returns how many were forgotten. */
  public int sweepIdle() {
    int[] swept = new int[1];
    slots.values().removeIf(slot -> {
      boolean retired = slot.retireIfIdle();
      if (retired) {
        swept[0]++;
      }
      return retired;
    });
    return swept[0];
  }

  /** Tenants this node holds a slot for right now. */
  public int tenants() {
    return slots.size();
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
      sum += Math.max(0, slot.running);
    }
    return sum;
  }

  private static PoolBusy busy() {
    return new PoolBusy("this tenant has too many requests in progress; retry shortly", 1);
  }
}

package io.tenantry.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
import java.util.function.ObjIntConsumer;

/**
 * Everything this node keeps about one tenant under one set of limits: the lease on the tenant's bucket, a lease
 * per user when the limits have a per-user sub-limit, the Redis lease in flight, and the local budget used while
 * Redis is unavailable. Every method is synchronized: callers on different event loops share it, and no method
 * does I/O or waits, so the lock is held for microseconds.
 */
final class TenantBudget {
  /** What a request does next. */
  sealed interface Step permits Done, Wait, Refill {
  }

  /** Decided here, without Redis. */
  record Done(Decision decision) implements Step {
  }

  /** Another request's Redis lease is in flight: wait for it (true = Redis answered), then try again. */
  record Wait(Future<Boolean> refill) implements Step {
  }

  /** This request leases from Redis for the leases that lack budget. */
  record Refill(List<Lease> leases, List<Ask> asks, Promise<Boolean> done) implements Step {
  }

  private final Limits limits;
  private final String userKeyPrefix;
  private final UUID tenantId;
  private final Lease tenant;
  private final Map<UUID, Lease> users = new HashMap<>();
  private Future<Boolean> refilling;
  private LocalBudget local;

  TenantBudget(String keyPrefix, UUID tenantId, Limits limits, long now) {
    this.limits = limits;
    this.userKeyPrefix = keyPrefix;
    this.tenantId = tenantId;
    this.tenant = new Lease(Bucket.of(Bucket.tenantKey(keyPrefix, tenantId), limits.rate(), limits.burst()), now);
  }

  Limits limits() {
    return limits;
  }

  /**
   * @param round how many times this request has already waited for someone else's lease; past
   *              {@code maxRounds} it leases for itself rather than wait again
   * @param leaseSize how many requests to lease from a bucket of a given burst
   */
  synchronized Step next(UUID userId, int cost, long now, int round, int maxRounds, IntUnaryOperator leaseSize) {
    List<Lease> leases = leases(userId, now);
    if (covered(leases, cost)) {
      return new Done(spend(leases, cost, now));
    }
    List<Lease> lacking = new ArrayList<>(2);
    List<Ask> asks = new ArrayList<>(2);
    for (Lease lease : leases) {
      if (!lease.covers(cost)) {
        int need = cost - lease.held();
        if (lease.refusing(need, now)) {
          return new Done(refused(lease, now));
        }
        lacking.add(lease);
        asks.add(new Ask(lease.bucket(), Math.max(leaseSize.applyAsInt(lease.bucket().burst()), need), need));
      }
    }
    if (refilling != null && round < maxRounds) {
      return new Wait(refilling);
    }
    Promise<Boolean> done = Promise.promise();
    if (refilling == null) {
      refilling = done.future();
    }
    return new Refill(lacking, asks, done);
  }

  /**
   * Applies Redis's answer to a {@link Refill}, then decides the request that asked, which gets what it needed
   * before anyone else can spend it. Returns null when it must try again (a lease it did not ask for was spent
   * by others meanwhile).
   */
  synchronized Decision settle(Refill refill, List<Grant> grants, UUID userId, int cost, long now) {
    ended(refill);
    for (int i = 0; i < grants.size(); i++) {
      refill.leases().get(i).apply(grants.get(i), refill.asks().get(i).need(), now);
    }
    List<Lease> leases = leases(userId, now);
    if (covered(leases, cost)) {
      return spend(leases, cost, now);
    }
    for (Lease lease : leases) {
      if (!lease.covers(cost) && lease.refusing(cost - lease.held(), now)) {
        return refused(lease, now);
      }
    }
    return null;
  }

  /** The refill got no answer from Redis. */
  synchronized void ended(Refill refill) {
    if (refilling == refill.done().future()) {
      refilling = null;
    }
  }

  /** Decides without Redis, spending this node's share of the budget. */
  synchronized Decision local(UUID userId, int cost, long now, int nodes) {
    if (local == null || local.nodes() != nodes) {
      local = new LocalBudget(tenant.bucket(), nodes);
    }
    Bucket userBucket = limits.hasUserLimit() && userId != null ? userBucket(userId) : null;
    return local.decide(userId, userBucket, cost, now);
  }

  /**
   * Hands leases held longer than {@code ttlNanos} to {@code giveBack} and forgets idle users.
   * @return true when nothing is held or pending, so the whole budget can be dropped once idle
   */
  synchronized boolean sweep(long now, long ttlNanos, long idleNanos, ObjIntConsumer<Bucket> giveBack) {
    expire(tenant, now, ttlNanos, giveBack);
    for (Iterator<Lease> it = users.values().iterator(); it.hasNext(); ) {
      Lease lease = it.next();
      expire(lease, now, ttlNanos, giveBack);
      if (lease.idle(now, idleNanos)) {
        it.remove();
      }
    }
    return users.isEmpty() && refilling == null && tenant.idle(now, idleNanos);
  }

  private static void expire(Lease lease, long now, long ttlNanos, ObjIntConsumer<Bucket> giveBack) {
    int count = lease.expire(now, ttlNanos);
    if (count > 0) {
      giveBack.accept(lease.bucket(), count);
    }
  }

  private List<Lease> leases(UUID userId, long now) {
    if (!limits.hasUserLimit() || userId == null) {
      return List.of(tenant);
    }
    return List.of(tenant, users.computeIfAbsent(userId, id -> new Lease(userBucket(id), now)));
  }

  private Bucket userBucket(UUID userId) {
    return Bucket.of(Bucket.userKey(userKeyPrefix, tenantId, userId), limits.userRate(), limits.userBurst());
  }

  private static boolean covered(List<Lease> leases, int cost) {
    for (Lease lease : leases) {
      if (!lease.covers(cost)) {
        return false;
      }
    }
    return true;
  }

  /** Spends from every lease; the headers describe the one with the least left. */
  private Decision spend(List<Lease> leases, int cost, long now) {
    Lease tightest = null;
    for (Lease lease : leases) {
      lease.spend(cost, now);
      if (tightest == null || lease.remaining(now) < tightest.remaining(now)) {
        tightest = lease;
      }
    }
    return new Decision(true, scope(tightest), tightest.bucket().burst(), tightest.remaining(now),
      tightest.resetSeconds(now), 0);
  }

  private Decision refused(Lease lease, long now) {
    return new Decision(false, scope(lease), lease.bucket().burst(), lease.remaining(now), lease.resetSeconds(now),
      lease.retryAfterSeconds(now));
  }

  private Decision.Scope scope(Lease lease) {
    return lease == tenant ? Decision.Scope.TENANT : Decision.Scope.USER;
  }
}

package io.tenantry.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;

/**
 * Everything this node keeps about one tenant under one set of limits: the lease on the tenant's bucket, a lease
 * per user when the limits have a per-user sub-limit, a lease on each subtree budget and branch cap above the tenant
 * (when any applies), the Redis lease in flight, and the local budget used while Redis is unavailable. Every method
 * is synchronized: callers on different event loops share it, and no method does I/O or waits, so the lock is held
 * for microseconds.
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
  private final Lease tenant;
  /** The per-user leases; null until the limits have a per-user sub-limit and a user comes (most tenants: never). */
  private Map<UUID, Lease> users;
  /** The leases on the subtree budgets and caps, in the order of {@code limits.subtree()}; null when none applies. */
  private final Lease[] shared;
  private final SubtreeLimit[] sharedLimits;
  private Future<Boolean> refilling;
  private LocalBudget local;

  TenantBudget(String keyPrefix, UUID tenantId, Limits limits, long now) {
    this.limits = limits;
    Subtree subtree = limits.subtree();
    String ownKey = subtree == null ? Bucket.tenantKey(keyPrefix, tenantId)
      : SubtreeKeys.own(keyPrefix, subtree.group(), tenantId);
    this.tenant = new Lease(Bucket.of(ownKey, limits.rate(), limits.burst()), now);
    if (subtree == null) {
      this.shared = null;
      this.sharedLimits = null;
    } else {
      this.sharedLimits = subtree.limits().toArray(SubtreeLimit[]::new);
      this.shared = new Lease[sharedLimits.length];
      for (int i = 0; i < shared.length; i++) {
        shared[i] = new Lease(SubtreeKeys.bucket(keyPrefix, subtree.group(), sharedLimits[i]), now);
      }
    }
  }

  Limits limits() {
    return limits;
  }

  /** The subtree budgets and branch caps it leases from (none for most tenants). */
  List<Bucket> sharedBuckets() {
    if (shared == null) {
      return List.of();
    }
    List<Bucket> buckets = new ArrayList<>(shared.length);
    for (Lease lease : shared) {
      buckets.add(lease.bucket());
    }
    return buckets;
  }

  /**
   * @param round how many times this request has already waited for someone else's lease; past
   *              {@code maxRounds} it leases for itself rather than wait again
   * @param leaseSize how many requests to lease from a bucket of a given burst
   * @param sharedLeaseSize how many to lease from a subtree budget or branch cap
   */
  synchronized Step next(UUID userId, int cost, long now, int round, int maxRounds, IntUnaryOperator leaseSize,
                         ToIntFunction<Bucket> sharedLeaseSize) {
    List<Lease> leases = leases(userId, now);
    if (covered(leases, cost)) {
      return new Done(spend(leases, cost, now));
    }
    List<Lease> lacking = new ArrayList<>(leases.size());
    List<Ask> asks = new ArrayList<>(leases.size());
    for (Lease lease : leases) {
      if (!lease.covers(cost)) {
        int need = cost - lease.held();
        if (lease.refusing(need, now)) {
          return new Done(refused(lease, now));
        }
        lacking.add(lease);
        int size = sharedIndex(lease) >= 0 ? sharedLeaseSize.applyAsInt(lease.bucket())
          : leaseSize.applyAsInt(lease.bucket().burst());
        asks.add(new Ask(lease.bucket(), Math.max(size, need), need));
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

  /**
   * Decides without Redis, spending this node's share of the budget and, under subtree budgets, this node's share of
   * each of them ({@code subtrees}, shared by all tenants on the node); all or nothing.
   */
  synchronized Decision local(UUID userId, int cost, long now, int nodes, LocalSubtrees subtrees) {
    if (local == null || local.nodes() != nodes) {
      local = new LocalBudget(tenant.bucket(), nodes);
    }
    Bucket userBucket = limits.hasUserLimit() && userId != null ? userBucket(userId) : null;
    Decision decision = local.decide(userId, userBucket, cost, now);
    if (shared == null || !decision.allowed()) {
      return decision;
    }
    LocalSubtrees.Refusal refusal = subtrees.take(shared, cost, now / 1000, nodes);
    if (refusal == null) {
      return decision;
    }
    local.giveBack(userId, cost, now);
    return refusedBy(sharedLimits[refusal.index()], shared[refusal.index()].bucket().burst(),
      Math.max(1, ceilDiv(refusal.waitMicros(), Bucket.MICROS_PER_SECOND)));
  }

  /**
   * Hands leases held longer than {@code ttlNanos} to {@code giveBack} and forgets idle users.
   * @return true when nothing is held or pending, so the whole budget can be dropped once idle
   */
  synchronized boolean sweep(long now, long ttlNanos, long idleNanos, ObjIntConsumer<Bucket> giveBack) {
    expire(tenant, now, ttlNanos, giveBack);
    boolean sharedIdle = true;
    if (shared != null) {
      for (Lease lease : shared) {
        expire(lease, now, ttlNanos, giveBack);
        sharedIdle &= lease.idle(now, idleNanos);
      }
    }
    if (users != null) {
      for (Iterator<Lease> it = users.values().iterator(); it.hasNext(); ) {
        Lease lease = it.next();
        expire(lease, now, ttlNanos, giveBack);
        if (lease.idle(now, idleNanos)) {
          it.remove();
        }
      }
      if (users.isEmpty()) {
        users = null;
      }
    }
    return users == null && refilling == null && tenant.idle(now, idleNanos) && sharedIdle;
  }

  private static void expire(Lease lease, long now, long ttlNanos, ObjIntConsumer<Bucket> giveBack) {
    int count = lease.expire(now, ttlNanos);
    if (count > 0) {
      giveBack.accept(lease.bucket(), count);
    }
  }

  private List<Lease> leases(UUID userId, long now) {
    if (shared == null) {
      if (!limits.hasUserLimit() || userId == null) {
        return List.of(tenant);
      }
      return List.of(tenant, userLease(userId, now));
    }
    List<Lease> all = new ArrayList<>(shared.length + 2);
    all.add(tenant);
    if (limits.hasUserLimit() && userId != null) {
      all.add(userLease(userId, now));
    }
    all.addAll(Arrays.asList(shared));
    return all;
  }

  private Lease userLease(UUID userId, long now) {
    if (users == null) {
      users = new HashMap<>(4);
    }
    return users.computeIfAbsent(userId, id -> new Lease(userBucket(id), now));
  }

  /** The user's key extends the tenant's own, so it shares its hash tag. */
  private Bucket userBucket(UUID userId) {
    return Bucket.of(tenant.bucket().key() + ":u:" + userId, limits.userRate(), limits.userBurst());
  }

  private static boolean covered(List<Lease> leases, int cost) {
    for (Lease lease : leases) {
      if (!lease.covers(cost)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Spends from every lease; the headers describe the one of the tenant's own (or the user's) with the least left.
   * A subtree budget's state is never reported while it admits: it is the use of the parent and the siblings too.
   */
  private Decision spend(List<Lease> leases, int cost, long now) {
    Lease tightest = null;
    for (Lease lease : leases) {
      lease.spend(cost, now);
      if (sharedIndex(lease) >= 0) {
        continue;
      }
      if (tightest == null || lease.remaining(now) < tightest.remaining(now)) {
        tightest = lease;
      }
    }
    return new Decision(true, scope(tightest), tightest.bucket().burst(), tightest.remaining(now),
      tightest.resetSeconds(now), 0);
  }

  private Decision refused(Lease lease, long now) {
    int index = sharedIndex(lease);
    if (index >= 0) {
      return refusedBy(sharedLimits[index], lease.bucket().burst(), lease.retryAfterSeconds(now));
    }
    return new Decision(false, scope(lease), lease.bucket().burst(), lease.remaining(now), lease.resetSeconds(now),
      lease.retryAfterSeconds(now));
  }

  /**
   * A refusal by a subtree budget or a branch cap: it names the subtree's holder and the burst, but says nothing of
   * what is left of it (0) nor when it is full again beyond the retry: those are the parent's and siblings' use.
   */
  private static Decision refusedBy(SubtreeLimit limit, int burst, long retryAfter) {
    return new Decision(false, limit.cap() ? Decision.Scope.BRANCH : Decision.Scope.SUBTREE, burst, 0, retryAfter,
      retryAfter, limit.holderSlug());
  }

  private int sharedIndex(Lease lease) {
    if (shared != null) {
      for (int i = 0; i < shared.length; i++) {
        if (shared[i] == lease) {
          return i;
        }
      }
    }
    return -1;
  }

  private static long ceilDiv(long value, long unit) {
    return value <= 0 ? 0 : (value + unit - 1) / unit;
  }

  private Decision.Scope scope(Lease lease) {
    return lease == tenant ? Decision.Scope.TENANT : Decision.Scope.USER;
  }
}

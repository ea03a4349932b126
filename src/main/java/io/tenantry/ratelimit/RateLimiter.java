package io.tenantry.ratelimit;

import io.tenantry.cluster.LiveNodes;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Decides whether a tenant's request may pass. Each node leases small batches of a tenant's budget from Redis
 * (one atomic GCRA script call) and spends them locally, so most requests cost no Redis round trip; only one
 * lease per tenant is in flight at a time and the others wait for it. Every Redis call goes through a circuit
 * breaker: when Redis fails, is slow or the breaker is open, the request is decided locally on this node's share
 * of the budget (limit / live nodes) — never failed, and never delayed beyond the breaker's timeout.
 */
public final class RateLimiter {
  /** How often a request waits for another's lease before leasing for itself. */
  private static final int MAX_WAITS = 4;
  /** Safety bound on retries under extreme contention; past it the request is decided locally. */
  private static final int MAX_ROUNDS = 16;
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final String keyPrefix;
  private final BudgetStore store;
  private final CircuitBreaker breaker;
  private final LiveNodes nodes;
  private final int leaseMax;
  private final LongSupplier clock;
  private final RateLimitCounters counters;
  private final Map<UUID, TenantBudget> budgets = new ConcurrentHashMap<>();
  private final IntUnaryOperator leaseSize = this::leaseSize;
  private final LocalSubtrees localSubtrees = new LocalSubtrees();
  private final SubtreeDrawers drawers = new SubtreeDrawers();
  private final ToIntFunction<Bucket> sharedLeaseSize = this::sharedLeaseSize;

  /** @param clock monotonic nanoseconds ({@code System::nanoTime} outside tests) */
  public RateLimiter(String keyPrefix, BudgetStore store, CircuitBreaker breaker, LiveNodes nodes, int leaseMax,
                     LongSupplier clock, RateLimitCounters counters) {
    this.keyPrefix = keyPrefix;
    this.store = store;
    this.breaker = breaker;
    this.nodes = nodes;
    this.leaseMax = leaseMax;
    this.clock = clock;
    this.counters = counters;
  }

  /**
   * @param userId the caller, for the per-user sub-limit (null: none)
   * @param write  writes cost {@code limits.writeCost()} requests, reads 1
   */
  public Future<Decision> decide(UUID tenantId, UUID userId, boolean write, Limits limits) {
    return charge(tenantId, userId, write ? limits.writeCost() : 1, limits);
  }

  /** Charges {@code cost} requests at once: a batch's items beyond the one the gate charged, say. */
  public Future<Decision> charge(UUID tenantId, UUID userId, int cost, Limits limits) {
    TenantBudget budget = budgets.get(tenantId);
    if (budget == null || !sameLimits(budget, limits)) {
      budget = budgets.compute(tenantId, (id, current) -> {
        if (current != null && sameLimits(current, limits)) {
          return current;
        }
        if (current != null) {
          drawers.remove(current);
        }
        TenantBudget fresh = new TenantBudget(keyPrefix, id, limits, clock.getAsLong());
        drawers.add(fresh);
        return fresh;
      });
    }
    return attempt(budget, userId, cost, 0).onSuccess(counters::decided);
  }

  /** The cached limits are one instance until they change: identity first, equality for a reloaded copy. */
  private static boolean sameLimits(TenantBudget budget, Limits limits) {
    return budget.limits() == limits || budget.limits().equals(limits);
  }

  private Future<Decision> attempt(TenantBudget budget, UUID userId, int cost, int round) {
    if (round > MAX_ROUNDS) {
      return Future.succeededFuture(local(budget, userId, cost));
    }
    TenantBudget.Step step = budget.next(userId, cost, clock.getAsLong(), round, MAX_WAITS, leaseSize, sharedLeaseSize);
    if (step instanceof TenantBudget.Done done) {
      return Future.succeededFuture(done.decision());
    }
    if (step instanceof TenantBudget.Wait wait) {
      return wait.refill().compose(answered -> answered
        ? attempt(budget, userId, cost, round + 1)
        : Future.succeededFuture(local(budget, userId, cost)));
    }
    return refill(budget, (TenantBudget.Refill) step, userId, cost, round);
  }

  private Future<Decision> refill(TenantBudget budget, TenantBudget.Refill refill, UUID userId, int cost, int round) {
    if (breaker.state() == CircuitBreakerState.OPEN) {
      // Decided on the spot, without the breaker's promise and its hop to another context.
      budget.ended(refill);
      refill.done().complete(false);
      return Future.succeededFuture(local(budget, userId, cost));
    }
    return breaker.<List<Grant>>executeWithFallback(() -> store.lease(refill.asks()), this::unavailable)
      .compose(grants -> {
        if (grants == null) {
          budget.ended(refill);
          refill.done().complete(false);
          return Future.succeededFuture(local(budget, userId, cost));
        }
        Decision decision = budget.settle(refill, grants, userId, cost, clock.getAsLong());
        refill.done().complete(true);
        return decision != null ? Future.succeededFuture(decision) : attempt(budget, userId, cost, round + 1);
      });
  }

  /** The breaker's fallback: no grants, so the caller decides locally. */
  private List<Grant> unavailable(Throwable failure) {
    if (!(failure instanceof OpenCircuitException)) {
      counters.redisFailure();
    }
    return null;
  }

  private Decision local(TenantBudget budget, UUID userId, int cost) {
    counters.localFallback();
    return budget.local(userId, cost, clock.getAsLong(), Math.max(1, nodes.liveNodes()), localSubtrees);
  }

  private int leaseSize(int burst) {
    return LeaseSize.of(burst, nodes.liveNodes(), leaseMax);
  }

  /** A subtree bucket's lease on this node, divided among the tenants of the subtree that lease from it here. */
  private int sharedLeaseSize(Bucket bucket) {
    return LeaseSize.of(bucket.burst(), Math.max(1, nodes.liveNodes()) * drawers.of(bucket), leaseMax);
  }

  /**
   * Gives leases held longer than {@code ttlNanos} back to Redis (so budget does not sit unused on a quiet node
   * while others are refused) and forgets idle tenants. Run periodically.
   */
  public void sweep(long ttlNanos) {
    long now = clock.getAsLong();
    budgets.values().removeIf(budget -> {
      boolean idle = budget.sweep(now, ttlNanos, IDLE_NANOS, this::giveBack);
      if (idle) {
        drawers.remove(budget);
      }
      return idle;
    });
  }

  private void giveBack(Bucket bucket, int count) {
    breaker.<Void>executeWithFallback(() -> store.giveBack(bucket, count), failure -> {
      unavailable(failure);
      return null; // lost: those requests stay spent, which errs on the safe side
    });
  }

  /** Tenants this node holds state for. */
  public int tenants() {
    return budgets.size();
  }
}

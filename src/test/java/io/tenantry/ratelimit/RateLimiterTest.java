package io.tenantry.ratelimit;

import io.tenantry.support.Await;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limiter's behaviour on a fake clock, against an in-memory twin of the Redis script: exact burst and rate on
 * one node, the documented bound over N nodes, few store calls per request, local shares when the store fails.
 */
class RateLimiterTest {
  private static final long TTL = Duration.ofSeconds(1).toNanos();
  private static Vertx vertx;

  private final FakeClock clock = new FakeClock();
  private final MemoryBudgetStore store = new MemoryBudgetStore(clock);
  private final UUID tenant = UUID.randomUUID();
  private final UUID alice = UUID.randomUUID();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Await.result(vertx.close());
  }

  private RateLimiter node(int nodes, RateLimitCounters counters) {
    CircuitBreaker breaker = CircuitBreaker.create("test", vertx, new CircuitBreakerOptions()
      .setFallbackOnFailure(true).setMaxFailures(3).setResetTimeout(60_000).setNotificationAddress(null));
    return new RateLimiter("test:", store, breaker, () -> nodes, 20, clock::nanos, counters);
  }

  private static Decision decide(RateLimiter limiter, UUID tenant, UUID user, boolean write, Limits limits) {
    return Await.result(limiter.decide(tenant, user, write, limits), 10);
  }

  @Test
  void oneNodeAdmitsExactlyTheBurstWithHeadersCountingDownThenTheRate() {
    RateLimiter limiter = node(1, new RateLimitCounters());
    Limits limits = new Limits(10, 20, null, null, 1);
    for (int i = 1; i <= 20; i++) {
      Decision d = decide(limiter, tenant, alice, false, limits);
      assertThat(d.allowed()).as("request %d", i).isTrue();
      assertThat(d.limit()).isEqualTo(20);
      assertThat(d.remaining()).as("remaining after request %d", i).isEqualTo(20 - i);
      assertThat(d.resetSeconds()).as("seconds to refill %d requests at 10/s", i).isEqualTo((i + 9) / 10);
    }
    Decision refused = decide(limiter, tenant, alice, false, limits);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.remaining()).isZero();

    clock.advance(Duration.ofMillis(99));
    assertThat(decide(limiter, tenant, alice, false, limits).allowed()).as("before the next request is due").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(decide(limiter, tenant, alice, false, limits).allowed()).isTrue();

    int admitted = 0;
    for (int ms = 0; ms < 2000; ms++) {
      clock.advance(Duration.ofMillis(1));
      admitted += decide(limiter, tenant, alice, false, limits).allowed() ? 1 : 0;
    }
    assertThat(admitted).as("two seconds at 10 per second").isEqualTo(20);
  }

  @Test
  void mostRequestsCostNoStoreCallAndRefusedOnesAlmostNone() {
    RateLimitCounters counters = new RateLimitCounters();
    RateLimiter limiter = node(1, counters);
    Limits plan = new Limits(100, 200, null, null, 1);
    for (int i = 0; i < 1000; i++) { // exactly the plan's rate for 10 s
      clock.advance(Duration.ofMillis(10));
      assertThat(decide(limiter, tenant, alice, false, plan).allowed()).isTrue();
    }
    assertThat(store.calls).as("leases of 20").isEqualTo(50);

    int before = store.calls;
    for (int i = 0; i < 1000; i++) { // a flood: the burst passes, the rest are refused mostly without a call
      decide(limiter, tenant, alice, false, plan);
    }
    assertThat(counters.refused()).isGreaterThan(790);
    assertThat(store.calls - before).isLessThan(15);
  }

  /**
   * The documented bound: over any window of W seconds a tenant gets at most burst + rate × W + N × lease size
   * across N nodes, however the traffic is spread; and no request is refused while the tenant is under its limit
   * by more than the leases the other nodes hold.
   */
  @Test
  void nodesTogetherStayWithinTheDocumentedBound() {
    int nodes = 3;
    Limits limits = new Limits(50, 100, null, null, 1);
    List<RateLimiter> cluster = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      cluster.add(node(nodes, new RateLimitCounters()));
    }
    int lease = LeaseSize.of(100, nodes, 20);
    Random random = new Random(7);
    List<Long> admittedAt = new ArrayList<>();
    long start = clock.nanos();
    for (int step = 0; step < 6000; step++) { // about 6 s of traffic at 20 × the rate, on random nodes
      clock.advance(Duration.ofNanos(random.nextInt(2_000_000)));
      RateLimiter node = cluster.get(random.nextInt(nodes));
      if (decide(node, tenant, null, false, limits).allowed()) {
        admittedAt.add(clock.nanos());
      }
      if (step % 100 == 0) {
        cluster.forEach(n -> n.sweep(TTL));
      }
    }
    double elapsed = (clock.nanos() - start) / 1e9;
    for (int i = 0; i < admittedAt.size(); i++) {
      for (int j = i; j < admittedAt.size(); j += 7) {
        double window = (admittedAt.get(j) - admittedAt.get(i)) / 1e9;
        int admitted = j - i + 1;
        assertThat(admitted).as("admitted in a window of %.3f s", window)
          .isLessThanOrEqualTo((int) Math.floor(100 + 50 * window) + nodes * lease);
      }
    }
    assertThat(admittedAt.size()).as("the long-run rate is reached, not just bounded")
      .isGreaterThanOrEqualTo((int) (100 + 50 * elapsed) - nodes * lease);
  }

  @Test
  void withoutTheStoreEachNodeEnforcesItsShareAndNothingFails() {
    store.down = true;
    RateLimitCounters counters = new RateLimitCounters();
    RateLimiter limiter = node(2, counters);
    Limits limits = new Limits(10, 20, null, null, 1);
    int admitted = 0;
    for (int i = 0; i < 30; i++) {
      admitted += decide(limiter, tenant, alice, false, limits).allowed() ? 1 : 0;
    }
    assertThat(admitted).as("burst 20 over 2 nodes").isEqualTo(10);
    assertThat(counters.localFallbacks()).isEqualTo(30);
    assertThat(counters.redisFailures()).as("the breaker opened after 3 failures").isEqualTo(3);
    clock.advance(Duration.ofSeconds(1));
    admitted = 0;
    for (int i = 0; i < 30; i++) {
      admitted += decide(limiter, tenant, alice, false, limits).allowed() ? 1 : 0;
    }
    assertThat(admitted).as("one second at 10/s over 2 nodes").isEqualTo(5);
  }

  @Test
  void leasesHeldPastTheirTimeGoBackToTheGlobalBudget() {
    RateLimiter limiter = node(1, new RateLimitCounters());
    Limits limits = new Limits(1, 20, null, null, 1);
    decide(limiter, tenant, alice, false, limits); // leases 5, spends 1
    decide(limiter, tenant, alice, false, limits); // spends another; 3 held
    Bucket bucket = Bucket.of(Bucket.tenantKey("test:", tenant), 1, 20);
    assertThat(store.offset(bucket)).isEqualTo(5_000_000);
    clock.advance(Duration.ofMillis(999));
    limiter.sweep(TTL);
    assertThat(store.offset(bucket)).as("not yet expired").isEqualTo(5_000_000 - 999_000);
    clock.advance(Duration.ofMillis(2));
    limiter.sweep(TTL);
    assertThat(store.offset(bucket)).as("3 unspent returned: only the 2 spent, 1.001 s ago, count")
      .isEqualTo(2_000_000 - 1_001_000);
  }

  @Test
  void aLeaseInSteadyUseIsKeptPastTheTtlAndGoesBackOnceUnused() {
    RateLimiter limiter = node(1, new RateLimitCounters());
    Limits limits = new Limits(100, 80, null, null, 1); // lease of 20 on one node
    decide(limiter, tenant, null, false, limits); // leases 20, spends 1
    assertThat(store.calls).isEqualTo(1);
    for (int i = 0; i < 10; i++) { // a quiet tenant: one request every 300 ms, 3 s in all
      clock.advance(Duration.ofMillis(300));
      limiter.sweep(TTL);
      assertThat(decide(limiter, tenant, null, false, limits).allowed()).isTrue();
    }
    assertThat(store.calls).as("one lease covered 11 requests over 3 s: nothing given back, nothing re-leased")
      .isEqualTo(1);
    clock.advance(Duration.ofMillis(999));
    limiter.sweep(TTL);
    assertThat(store.calls).as("unused for less than the TTL: kept").isEqualTo(1);
    clock.advance(Duration.ofMillis(2));
    limiter.sweep(TTL);
    assertThat(store.calls).as("unused for the TTL: the 9 unspent go back in one call").isEqualTo(2);
  }

  @Test
  void aUserSubLimitRefusesThatUserOnlyAndSaysWhose() {
    RateLimiter limiter = node(1, new RateLimitCounters());
    Limits limits = new Limits(100, 200, 1, 3, 1);
    for (int i = 0; i < 3; i++) {
      assertThat(decide(limiter, tenant, alice, false, limits).allowed()).isTrue();
    }
    Decision refused = decide(limiter, tenant, alice, false, limits);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.scope()).isEqualTo(Decision.Scope.USER);
    assertThat(refused.limit()).isEqualTo(3);
    Decision bob = decide(limiter, tenant, UUID.randomUUID(), false, limits);
    assertThat(bob.allowed()).isTrue();
    assertThat(bob.scope()).isEqualTo(Decision.Scope.USER);
    assertThat(bob.remaining()).isEqualTo(2);
  }

  @Test
  void writesCostTheirWriteCost() {
    RateLimiter limiter = node(1, new RateLimitCounters());
    Limits limits = new Limits(1, 10, null, null, 3);
    assertThat(decide(limiter, tenant, alice, true, limits).remaining()).isEqualTo(7);
    assertThat(decide(limiter, tenant, alice, true, limits).remaining()).isEqualTo(4);
    assertThat(decide(limiter, tenant, alice, true, limits).remaining()).isEqualTo(1);
    assertThat(decide(limiter, tenant, alice, true, limits).allowed()).isFalse();
    assertThat(decide(limiter, tenant, alice, false, limits).allowed()).as("a read still fits").isTrue();
  }

  @Test
  void changedLimitsApplyToTheNextRequest() {
    RateLimiter limiter = node(1, new RateLimitCounters());
    assertThat(decide(limiter, tenant, alice, false, new Limits(10, 20, null, null, 1)).limit()).isEqualTo(20);
    Decision after = decide(limiter, tenant, alice, false, new Limits(10, 50, null, null, 1));
    assertThat(after.limit()).isEqualTo(50);
  }
}

package io.tenantry.ratelimit;

import io.tenantry.support.Await;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subtree budgets on a fake clock, against the in-memory twin of the lease script, over the tree
 * parent > (a, b): a noisy child is held to its branch cap while its sibling gets the rest of the budget, the parent's
 * own traffic draws from the budget, refusals name the subtree, and the local fallback divides every budget too.
 */
class SubtreeBudgetTest {
  private static Vertx vertx;

  private final FakeClock clock = new FakeClock();
  private final MemoryBudgetStore store = new MemoryBudgetStore(clock);
  private final UUID parent = UUID.randomUUID();
  private final UUID a = UUID.randomUUID();
  private final UUID b = UUID.randomUUID();
  private static final Limits GENEROUS = new Limits(10_000, 10_000, null, null, 1);

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Await.result(vertx.close());
  }

  private RateLimiter node(int nodes) {
    CircuitBreaker breaker = CircuitBreaker.create("test", vertx, new CircuitBreakerOptions()
      .setFallbackOnFailure(true).setMaxFailures(1).setResetTimeout(60_000).setNotificationAddress(null));
    return new RateLimiter("test:", store, breaker, () -> nodes, 100, clock::nanos, new RateLimitCounters());
  }

  private static JsonObject row(UUID id, String slug) {
    return new JsonObject().put("id", id.toString()).put("slug", slug);
  }

  /** The parent's budget and default child cap, and optionally a's own cap, as the store's query returns them. */
  private Limits under(UUID tenant, Rate budget, Rate childCap, Rate capOfA) {
    JsonObject parentRow = row(parent, "parent").put("rate", budget.rate()).put("burst", budget.burst());
    if (childCap != null) {
      parentRow.put("child_rate", childCap.rate()).put("child_burst", childCap.burst());
    }
    JsonArray rows = new JsonArray().add(parentRow);
    if (capOfA != null) {
      rows.add(row(a, "a").put("cap_rate", capOfA.rate()).put("cap_burst", capOfA.burst()));
    }
    List<UUID> path = tenant.equals(parent) ? List.of() : List.of(parent);
    return GENEROUS.withSubtree(Subtree.of(tenant, path, rows));
  }

  private static Decision decide(RateLimiter limiter, UUID tenant, Limits limits) {
    return Await.result(limiter.decide(tenant, null, false, limits), 10);
  }

  private static int admitted(RateLimiter limiter, UUID tenant, Limits limits, int requests) {
    int admitted = 0;
    for (int i = 0; i < requests; i++) {
      admitted += decide(limiter, tenant, limits).allowed() ? 1 : 0;
    }
    return admitted;
  }

  @Test
  void aNoisyChildIsHeldToItsCapWhileItsSiblingStillGetsTheRestOfTheBudget() {
    RateLimiter limiter = node(1);
    Rate budget = new Rate(100, 100);
    Rate cap = new Rate(50, 50);
    Limits limitsA = under(a, budget, cap, null);
    Limits limitsB = under(b, budget, cap, null);

    assertThat(admitted(limiter, a, limitsA, 1000)).as("a's flood at one instant: its cap's burst").isEqualTo(50);
    Decision refused = decide(limiter, a, limitsA);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.scope()).isEqualTo(Decision.Scope.BRANCH);
    assertThat(refused.subtree()).isEqualTo("parent");
    assertThat(refused.remaining()).as("nothing of the shared budget's state is told").isZero();
    assertThat(admitted(limiter, b, limitsB, 1000)).as("b gets the rest of the budget").isEqualTo(50);

    // Two seconds with both children asking 5 per ms: a stays within its cap, b gets what a cannot take.
    int forA = 0;
    int forB = 0;
    for (int ms = 0; ms < 2000; ms++) {
      clock.advance(Duration.ofMillis(1));
      forA += admitted(limiter, a, limitsA, 5);
      forB += admitted(limiter, b, limitsB, 5);
    }
    int lease = LeaseSize.of(100, 1, 100);
    assertThat(forA).as("a: its cap's rate for 2 s").isLessThanOrEqualTo(50 * 2 + lease);
    assertThat(forB).as("b: its share is not starved").isGreaterThanOrEqualTo(50 * 2 - lease);
    assertThat(forA + forB).as("both: the budget's rate for 2 s").isLessThanOrEqualTo(100 * 2 + 2 * lease);
  }

  @Test
  void aChildsOwnCapOverridesTheParentsDefault() {
    RateLimiter limiter = node(1);
    Limits limitsA = under(a, new Rate(100, 100), new Rate(50, 50), new Rate(10, 10));
    Limits limitsB = under(b, new Rate(100, 100), new Rate(50, 50), new Rate(10, 10));
    assertThat(admitted(limiter, a, limitsA, 100)).isEqualTo(10);
    assertThat(admitted(limiter, b, limitsB, 100)).isEqualTo(50);
  }

  @Test
  void theParentsOwnTrafficDrawsFromTheSubtreeBudget() {
    RateLimiter limiter = node(1);
    Limits own = under(parent, new Rate(10, 20), new Rate(10, 20), null);
    Limits limitsA = under(a, new Rate(10, 20), new Rate(10, 20), null);

    Decision first = decide(limiter, parent, own);
    assertThat(first.limit()).as("the headers describe the tenant's own budget").isEqualTo(10_000);
    assertThat(first.scope()).isEqualTo(Decision.Scope.TENANT);
    assertThat(admitted(limiter, parent, own, 100)).as("the rest of the budget's burst").isEqualTo(19);

    Decision refused = decide(limiter, a, limitsA);
    assertThat(refused.allowed()).as("the parent spent the budget its child draws from").isFalse();
    assertThat(refused.scope()).isEqualTo(Decision.Scope.SUBTREE);
    assertThat(refused.subtree()).isEqualTo("parent");
    assertThat(refused.limit()).isEqualTo(20);
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void aTenantWithNoBudgetAboveUsesOnlyItsOwnKey() {
    RateLimiter limiter = node(1);
    assertThat(admitted(limiter, a, GENEROUS, 10)).isEqualTo(10);
    assertThat(store.keys()).containsExactly(Bucket.tenantKey("test:", a));
    assertThat(Subtree.of(a, List.of(parent), new JsonArray().add(row(a, "a").put("cap_rate", 5).put("cap_burst", 5))))
      .as("a cap with no budget above it applies to nothing").isNull();
  }

  @Test
  void underABudgetEveryKeyCarriesTheTopBudgetHoldersHashTag() {
    RateLimiter limiter = node(1);
    admitted(limiter, a, under(a, new Rate(100, 100), new Rate(50, 50), null), 1);
    String tag = "test:{t:" + parent + "}:rl";
    assertThat(store.keys()).containsExactlyInAnyOrder(tag + ":t:" + a, tag + ":s:" + parent, tag + ":c:" + a);
  }

  @Test
  void withoutRedisEachNodeEnforcesItsShareOfTheBudgetAndOfEachCap() {
    store.down = true;
    RateLimiter limiter = node(2);
    Limits limitsA = under(a, new Rate(10, 20), new Rate(5, 10), null);
    Limits limitsB = under(b, new Rate(10, 20), new Rate(5, 10), null);
    Limits own = under(parent, new Rate(10, 20), new Rate(5, 10), null);

    assertThat(admitted(limiter, a, limitsA, 100)).as("half of a's cap burst").isEqualTo(5);
    Decision refused = decide(limiter, a, limitsA);
    assertThat(refused.scope()).isEqualTo(Decision.Scope.BRANCH);
    assertThat(admitted(limiter, b, limitsB, 100)).as("half of b's cap burst").isEqualTo(5);
    assertThat(admitted(limiter, parent, own, 100)).as("half the budget's burst is spent already").isZero();
    assertThat(decide(limiter, parent, own).scope()).isEqualTo(Decision.Scope.SUBTREE);

    clock.advance(Duration.ofSeconds(1)); // 5 per second on this node's share of the budget
    assertThat(admitted(limiter, parent, own, 100)).isEqualTo(5);
    assertThat(admitted(limiter, a, limitsA, 100)).as("a refused by the budget takes nothing of its cap").isZero();
    clock.advance(Duration.ofMillis(400)); // 2 back in the budget's share; a's cap share has 3 by now
    assertThat(admitted(limiter, a, limitsA, 100)).as("the budget's share bounds a").isEqualTo(2);
    assertThat(admitted(limiter, b, limitsB, 100)).as("nothing left of the budget's share").isZero();
  }

  /**
   * Twenty children flooding one budget from one node: their leases on it split one node's share (a quarter of the
   * burst), so the budget is not held in a few children's leases while the others are refused — each gets its turn —
   * and together they get the burst and the rate.
   */
  @Test
  void manyChildrenOnOneNodeSplitTheNodesLeaseOnTheirParentsBudget() {
    RateLimiter limiter = node(1);
    Rate budget = new Rate(100, 400);
    List<UUID> children = new java.util.ArrayList<>();
    List<Limits> limits = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UUID child = UUID.randomUUID();
      children.add(child);
      JsonArray rows = new JsonArray().add(row(parent, "parent").put("rate", budget.rate()).put("burst", budget.burst()));
      limits.add(GENEROUS.withSubtree(Subtree.of(child, List.of(parent), rows)));
    }
    int[] admitted = new int[children.size()];
    List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, children.size()).boxed().toList());
    java.util.Random random = new java.util.Random(11);
    for (int ms = 0; ms < 3000; ms++) {
      clock.advance(Duration.ofMillis(1));
      java.util.Collections.shuffle(order, random); // who asks first in a millisecond is served first
      for (int i : order) {
        admitted[i] += admitted(limiter, children.get(i), limits.get(i), 1);
      }
    }
    int total = java.util.Arrays.stream(admitted).sum();
    assertThat(total).as("the burst and 3 s at the rate").isBetween(400 + 300 - 20 * 5, 400 + 300);
    assertThat(java.util.Arrays.stream(admitted).min().getAsInt()).as("every child's share of %d", total)
      .isGreaterThanOrEqualTo(15);
  }
}

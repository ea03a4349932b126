package io.tenantry.pool;

import io.tenantry.support.TestServer;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantGone;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bookkeeping of database-tier pools: reuse, the connection budget, a tenant moved or given another statement
 * timeout, deletion with requests still running, idle closing. The pools are real Vert.x pools from the server's
 * PoolFactory; none of these paths opens a connection (a pool connects on first use), so no tenant database is
 * needed — TenantPoolsTest and the database-tier records tests run statements through them.
 */
class DedicatedPoolsTest {
  private static final DbTarget HERE = new DbTarget("127.0.0.1", 5432, "tenantry_here");
  private static final DbTarget THERE = new DbTarget("127.0.0.1", 5433, "tenantry_there");
  private Vertx vertx;
  private PoolFactory factory;
  private DedicatedPools pools;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    factory = new PoolFactory(vertx, TestServer.config(Map.of()));
  }

  @AfterEach
  void stop() {
    if (pools != null) {
      pools.closeAll().await();
    }
    vertx.close().await();
  }

  private static Tenant tenant(UUID id, DbTarget target, Integer timeoutMs) {
    return new Tenant(id, "t-" + id.toString().substring(0, 8), "T", Tenant.Status.ACTIVE, Isolation.DATABASE, target,
      1, null, Instant.now(), timeoutMs);
  }

  private static DedicatedPools.Lease lease(DedicatedPools pools, Tenant tenant) {
    return pools.lease(tenant).await();
  }

  private static Throwable refusal(DedicatedPools pools, Tenant tenant) {
    Future<DedicatedPools.Lease> f = pools.lease(tenant);
    assertThat(f.failed()).isTrue();
    return f.cause();
  }

  @Test
  void aTenantsRequestsShareItsPoolAndTheBudgetBoundsThePools() {
    pools = new DedicatedPools(vertx, factory, 1, 300);
    Tenant a = tenant(UUID.randomUUID(), HERE, null);
    Tenant b = tenant(UUID.randomUUID(), HERE, null);
    DedicatedPools.Lease first = lease(pools, a);
    DedicatedPools.Lease second = lease(pools, a);
    assertThat(second.pool()).isSameAs(first.pool());
    assertThat(pools.opened()).isEqualTo(1);

    // The budget (one pool) is in use by a's requests: b is refused, and counted.
    assertThat(refusal(pools, b)).isInstanceOfSatisfying(PoolBusy.class,
      e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
    assertThat(pools.rejected()).isEqualTo(1);
    first.release().run();
    assertThat(refusal(pools, b)).isInstanceOf(PoolBusy.class);

    // Once a's pool is unused, b's first request closes it to make room.
    second.release().run();
    DedicatedPools.Lease forB = lease(pools, b);
    assertThat(forB.pool()).isNotSameAs(first.pool());
    assertThat(pools.open()).isEqualTo(1);
    assertThat(pools.maxPools()).isEqualTo(1);
    assertThat(pools.opened()).isEqualTo(2);
    forB.release().run();
  }

  /** Which idle pool is oldest does not depend on the order the pools are kept in: both orders are tried. */
  @Test
  void theLongestIdlePoolIsTheOneClosedForRoom() {
    UUID x = new UUID(1, 1);
    UUID y = new UUID(2, 2);
    for (boolean xFirst : new boolean[] {true, false}) {
      DedicatedPools two = new DedicatedPools(vertx, factory, 2, 300);
      Tenant older = tenant(xFirst ? x : y, HERE, null);
      Tenant newer = tenant(xFirst ? y : x, HERE, null);
      DedicatedPools.Lease o = lease(two, older);
      o.release().run();
      awaitNanoTimeAdvances();
      DedicatedPools.Lease n = lease(two, newer);
      n.release().run();
      lease(two, tenant(UUID.randomUUID(), HERE, null)).release().run();
      // the newer tenant's pool survived: leasing it again opens nothing
      long opened = two.opened();
      assertThat(lease(two, newer).pool()).isSameAs(n.pool());
      assertThat(two.opened()).isEqualTo(opened);
      two.closeAll().await();
    }
  }

  private static void awaitNanoTimeAdvances() {
    long start = System.nanoTime();
    while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2)) {
      Thread.onSpinWait();
    }
  }

  @Test
  void aMovedTenantGetsANewPoolAndTheOldOneClosesAfterItsRequests() {
    pools = new DedicatedPools(vertx, factory, 4, 300);
    UUID id = UUID.randomUUID();
    DedicatedPools.Lease before = lease(pools, tenant(id, HERE, null));
    DedicatedPools.Lease after = lease(pools, tenant(id, THERE, null));
    assertThat(after.pool()).isNotSameAs(before.pool());
    assertThat(pools.open()).isEqualTo(1);
    before.release().run(); // the last request on the old pool: closed now
    after.release().run();

    // Moved back while nothing runs on the pool: the old one is closed at once.
    DedicatedPools.Lease back = lease(pools, tenant(id, HERE, null));
    assertThat(back.pool()).isNotSameAs(after.pool());
    back.release().run();
    assertThat(pools.opened()).isEqualTo(3);
  }

  @Test
  void aChangedStatementTimeoutReopensThePoolOnceItIsUnused() {
    pools = new DedicatedPools(vertx, factory, 4, 300);
    UUID id = UUID.randomUUID();
    DedicatedPools.Lease running = lease(pools, tenant(id, HERE, null));
    // a request still runs: the new timeout waits for the pool to be unused
    DedicatedPools.Lease same = lease(pools, tenant(id, HERE, 2000));
    assertThat(same.pool()).isSameAs(running.pool());
    running.release().run();
    same.release().run();
    DedicatedPools.Lease reopened = lease(pools, tenant(id, HERE, 2000));
    assertThat(reopened.pool()).isNotSameAs(running.pool());
    reopened.release().run();
    assertThat(lease(pools, tenant(id, HERE, 2000)).pool()).isSameAs(reopened.pool());
  }

  @Test
  void aDeletedTenantsPoolClosesOnceItsRequestsAreDoneAndNeverOpensAgain() {
    pools = new DedicatedPools(vertx, factory, 4, 300);
    Tenant never = tenant(UUID.randomUUID(), HERE, null);
    assertThat(pools.close(never.id()).succeeded()).as("no pool: nothing to wait for").isTrue();
    assertThat(refusal(pools, never)).isInstanceOf(TenantGone.class);

    Tenant idle = tenant(UUID.randomUUID(), HERE, null);
    lease(pools, idle).release().run();
    pools.close(idle.id()).await(); // unused: closed at once
    assertThat(refusal(pools, idle)).isInstanceOf(TenantGone.class);

    Tenant busy = tenant(UUID.randomUUID(), HERE, null);
    DedicatedPools.Lease running = lease(pools, busy);
    DedicatedPools.Lease alsoRunning = lease(pools, busy);
    Future<Void> closed = pools.close(busy.id());
    assertThat(closed.isComplete()).as("waits for the running requests").isFalse();
    running.release().run();
    assertThat(closed.isComplete()).as("one is still running").isFalse();
    alsoRunning.release().run();
    closed.await();
    assertThat(refusal(pools, busy)).isInstanceOf(TenantGone.class);
    assertThat(pools.open()).isZero();
  }

  @Test
  void aDeletedTenantsRequestThatOutlivesTheDrainTimeIsClosedUnder() {
    pools = new DedicatedPools(vertx, factory, 4, 1); // idle after 1 s: the sweeper runs every second meanwhile
    Tenant stuck = tenant(UUID.randomUUID(), HERE, null);
    DedicatedPools.Lease running = lease(pools, stuck);
    Future<Void> closed = pools.close(stuck.id());
    assertThat(closed.toCompletionStage().toCompletableFuture()).succeedsWithin(Duration.ofSeconds(30));
    running.release().run(); // the late release finds the pool closed already
    assertThat(pools.open()).isZero();
  }

  @Test
  void idlePoolsCloseAndDeletedTenantsAreForgottenAfterTenMinutes() {
    pools = new DedicatedPools(vertx, factory, 4, 60);
    Tenant idle = tenant(UUID.randomUUID(), HERE, null);
    Tenant busy = tenant(UUID.randomUUID(), HERE, null);
    Tenant gone = tenant(UUID.randomUUID(), HERE, null);
    lease(pools, idle).release().run();
    DedicatedPools.Lease running = lease(pools, busy);
    pools.close(gone.id());

    pools.closeIdle(System.nanoTime()); // nothing idle for 60 s yet
    assertThat(pools.open()).isEqualTo(2);
    pools.closeIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(61));
    assertThat(pools.open()).as("the busy pool stays").isEqualTo(1);
    assertThat(refusal(pools, gone)).isInstanceOf(TenantGone.class);
    pools.closeIdle(System.nanoTime() + TimeUnit.MINUTES.toNanos(11));
    DedicatedPools.Lease again = lease(pools, gone);
    again.release().run();
    running.release().run();
  }
}

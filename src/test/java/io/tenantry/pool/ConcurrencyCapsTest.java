package io.tenantry.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-tenant cap: lock-free places, a queue only when full, and slots that do not outlive their use. */
class ConcurrencyCapsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void placesUnderTheCapAreGrantedAtOnceWithoutAFreshFuturePerRequest() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 3, 1000);
    UUID tenant = UUID.randomUUID();
    Future<ConcurrencyCaps.Permit> first = caps.acquire(tenant);
    Future<ConcurrencyCaps.Permit> second = caps.acquire(tenant);
    assertThat(first.succeeded()).isTrue();
    assertThat(second).as("the slot's one granted future").isSameAs(first);
    assertThat(caps.running()).isEqualTo(2);
    first.result().release();
    second.result().release();
    assertThat(caps.running()).isZero();
    assertThat(caps.queued()).isZero();
  }

  @Test
  void aFullTenantWaitsAndGetsThePlaceReleasedWhileOthersAreServed() throws Exception {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 10_000);
    UUID noisy = UUID.randomUUID();
    ConcurrencyCaps.Permit held = caps.acquire(noisy).result();
    Future<ConcurrencyCaps.Permit> waiting = caps.acquire(noisy);
    assertThat(waiting.isComplete()).isFalse();
    assertThat(caps.waiting()).isEqualTo(1);
    assertThat(caps.acquire(UUID.randomUUID()).succeeded()).as("another tenant is not held up").isTrue();

    held.release();
    assertThat(await(waiting)).isNotNull();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.queued()).isEqualTo(1);
    assertThat(caps.running()).as("the place passed on, plus the other tenant's").isEqualTo(2);
  }

  @Test
  void aWaiterIsRefusedWithRetryAfterWhenNoPlaceFreesInTime() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 50);
    UUID tenant = UUID.randomUUID();
    caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> waiting = caps.acquire(tenant);
    assertThatThrownBy(() -> await(waiting)).hasCauseInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
    assertThat(caps.waiting()).isZero();
  }

  @Test
  void withoutAQueueAFullTenantIsRefusedAtOnce() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 0);
    UUID tenant = UUID.randomUUID();
    caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> refused = caps.acquire(tenant);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
  }

  @Test
  void sweepingForgetsIdleTenantsOnlyAndAForgottenTenantIsServedAfresh() throws Exception {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 10_000);
    List<UUID> idle = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      UUID tenant = UUID.randomUUID();
      caps.acquire(tenant).result().release();
      idle.add(tenant);
    }
    UUID busy = UUID.randomUUID();
    ConcurrencyCaps.Permit held = caps.acquire(busy).result();
    UUID queued = UUID.randomUUID();
    ConcurrencyCaps.Permit queuedHeld = caps.acquire(queued).result();
    Future<ConcurrencyCaps.Permit> waiter = caps.acquire(queued);
    assertThat(caps.tenants()).isEqualTo(102);

    assertThat(caps.sweepIdle()).isEqualTo(100);
    assertThat(caps.tenants()).as("a running and a waiting tenant keep their slots").isEqualTo(2);

    queuedHeld.release();
    await(waiter).release();
    held.release();
    assertThat(caps.sweepIdle()).isEqualTo(2);
    assertThat(caps.tenants()).isZero();

    ConcurrencyCaps.Permit again = caps.acquire(idle.get(0)).result();
    assertThat(caps.acquire(idle.get(0)).isComplete()).as("the cap holds on the fresh slot").isFalse();
    again.release();
  }

  @Test
  void concurrentRequestsNeverExceedTheCapWhileSweepsRun() throws Exception {
    int cap = 3;
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, cap, 60_000);
    UUID tenant = UUID.randomUUID();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    int threads = 8;
    int perThread = 2_000;
    CountDownLatch done = new CountDownLatch(threads * perThread);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          caps.acquire(tenant).onSuccess(permit -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            inside.decrementAndGet();
            permit.release();
            done.countDown();
          });
          if (i % 97 == 0) {
            caps.sweepIdle();
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(60_000);
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).as("every request got a place").isTrue();
    assertThat(most.get()).isLessThanOrEqualTo(cap);
    assertThat(caps.running()).isZero();
    assertThat(caps.waiting()).isZero();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}

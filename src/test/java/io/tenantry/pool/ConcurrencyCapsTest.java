package io.tenantry.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-tenant cap on its own: places, the queue, hand-over, expiry and refusal without a queue. */
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
  void withoutAQueueTheRequestOverTheCapIsRefusedAtOnce() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 0);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit place = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> over = caps.acquire(tenant);
    assertThat(over.cause()).isInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
    assertThat(caps.queued()).isZero();
    // another tenant has its own places
    assertThat(caps.acquire(UUID.randomUUID()).succeeded()).isTrue();
    assertThat(caps.running()).isEqualTo(2);
    place.release();
    place.release(); // idempotent: the place is not given back twice
    assertThat(caps.running()).isEqualTo(1);
  }

  @Test
  void aWaiterGetsTheReleasedPlaceAndAnotherExpiresWith503() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 300);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit place = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> waiter = caps.acquire(tenant);
    assertThat(caps.waiting()).isEqualTo(1);
    place.release();
    ConcurrencyCaps.Permit handed = waiter.toCompletionStage().toCompletableFuture().join();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.running()).as("the place passed on, not given back").isEqualTo(1);

    Future<ConcurrencyCaps.Permit> expires = caps.acquire(tenant);
    assertThat(expires.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10))
      .withThrowableThat().havingCause().isInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
    assertThat(caps.queued()).isEqualTo(2);
    assertThat(caps.waiting()).isZero();
    handed.release();
    assertThat(caps.running()).isZero();
  }

  @Test
  void aCapLeavesRoomOnEveryLoopOnlyBelowTheSmallestShare() {
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(6, 7)).isTrue();
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(7, 7)).isFalse();
  }

  /**
   * The waiter's timer fires while a release is handing it the place (both need the tenant's lock): the timer must
   * find the waiter gone and leave it alone — neither a 503 for a request that got its place nor a second count.
   * The test holds the lock itself (as the releasing thread would) until the timer's thread is blocked on it.
   */
  @Test
  void aTimerThatFiresWhileThePlaceIsHandedOverLeavesTheWaiterAlone() throws Exception {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 50);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit place = caps.acquire(tenant).result();
    io.vertx.core.Context loop = vertx.getOrCreateContext();
    java.util.concurrent.CompletableFuture<Thread> loopThread = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<Future<ConcurrencyCaps.Permit>> queued = new java.util.concurrent.CompletableFuture<>();
    loop.runOnContext(v -> {
      loopThread.complete(Thread.currentThread());
      queued.complete(caps.acquire(tenant));
    });
    Future<ConcurrencyCaps.Permit> waiter = queued.get(5, java.util.concurrent.TimeUnit.SECONDS);
    Thread timerThread = loopThread.get(5, java.util.concurrent.TimeUnit.SECONDS);
    java.lang.reflect.Field slots = ConcurrencyCaps.class.getDeclaredField("slots");
    slots.setAccessible(true);
    Object slot = ((java.util.Map<?, ?>) slots.get(caps)).get(tenant);
    synchronized (slot) {
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
      while (timerThread.getState() != Thread.State.BLOCKED && java.time.Instant.now().isBefore(deadline)) {
        Thread.onSpinWait();
      }
      assertThat(timerThread.getState()).as("the timer waits for the lock").isEqualTo(Thread.State.BLOCKED);
      place.release(); // re-entrant: hands the place to the waiter, too late to cancel its timer
    }
    ConcurrencyCaps.Permit handed = waiter.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(caps.rejected()).isZero();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.running()).isEqualTo(1);
    handed.release();
  }
}
